package dev.jlx.core.mem;

/**
 * What a futex word is known by, as Linux's {@code union futex_key}: the memory it lives in and its
 * offset there. A private word is its address space and guest address; a word in a MAP_SHARED
 * mapping that a shared futex names is the mapped object (a file, or shared anonymous memory) and
 * the word's offset in it, so that every process mapping it, at any address, meets on one key.
 */
public record FutexKey(Object object, long offset) {}
