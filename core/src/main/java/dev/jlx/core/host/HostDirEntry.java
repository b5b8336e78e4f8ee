package dev.jlx.core.host;

/** One directory entry: its name as host bytes, inode number, and Linux {@code S_IF*} type bits. */
public record HostDirEntry(byte[] name, long ino, int type) {}
