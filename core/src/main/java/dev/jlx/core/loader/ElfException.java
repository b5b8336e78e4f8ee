package dev.jlx.core.loader;

/** The file is not a loadable x86-64 Linux ELF executable; the message names the problem. */
public final class ElfException extends Exception {
    public ElfException(String message) {
        super(message, null, false, false);
    }
}
