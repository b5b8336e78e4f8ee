package dev.jlx.core.mem;

import dev.jlx.core.cpu.HostPages;

/**
 * A host memory file (memfd) holding an address space's private pages, each at the file offset
 * equal to its guest address. Its owner maps it shared; fork freezes it, and from then on parent
 * and child map it privately, so the host copies a page only when one of them writes it (Linux's
 * copy-on-write, done by the host's own page tables). The file goes back to the host when no
 * address space uses it any more.
 */
final class MemoryFile {
    final int fd;
    private int spaces = 1;

    private MemoryFile(int fd) {
        this.fd = fd;
    }

    /** A new, empty memory file, or null on hosts without them (fork then copies). */
    static MemoryFile create() {
        int fd = HostPages.newMemoryFile(AddressSpace.TASK_SIZE);
        return fd < 0 ? null : new MemoryFile(fd);
    }

    /** One more address space maps it (fork's child). */
    synchronized void share() {
        spaces++;
    }

    /** Whether only one address space uses it, which may then write to it again. */
    synchronized boolean sole() {
        return spaces == 1;
    }

    /** An address space no longer maps any of it. */
    void release() {
        boolean last;
        synchronized (this) {
            last = --spaces == 0;
        }
        if (last) {
            HostPages.closeFile(fd);
        }
    }
}
