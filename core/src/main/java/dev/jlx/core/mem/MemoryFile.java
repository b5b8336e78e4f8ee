package dev.jlx.core.mem;

import dev.jlx.core.host.HostMemory;

/**
 * The host's page file ({@link HostMemory.PageFile}) holding an address space's private pages,
 * each at the file offset equal to its guest address, with the count of address spaces that map
 * it: it goes back to the host when none does any more.
 */
final class MemoryFile {
    final HostMemory.PageFile pages;
    private int spaces = 1;

    private MemoryFile(HostMemory.PageFile pages) {
        this.pages = pages;
    }

    /** A new, empty memory file, or null on hosts without them (fork then copies). */
    static MemoryFile create(HostMemory memory) {
        HostMemory.PageFile pages = memory.newPageFile(AddressSpace.TASK_SIZE);
        return pages == null ? null : new MemoryFile(pages);
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
            pages.close();
        }
    }
}
