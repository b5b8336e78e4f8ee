package dev.jlx.host.posix;

import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostMapping;
import java.lang.foreign.MemorySegment;

/**
 * A shared mapping of a host file. The host maps from a multiple of its page, so on a host whose
 * page is larger than the guest's the mapping starts a little before the guest's offset and the
 * guest gets an interior part of it.
 */
final class PosixMapping implements HostMapping {
    private final long base;
    private final long baseSize;
    private final MemorySegment segment;

    private PosixMapping(long base, long baseSize, MemorySegment segment) {
        this.base = base;
        this.baseSize = baseSize;
        this.segment = segment;
    }

    /** Maps {@code length} bytes (guest-page rounded) of file {@code fd} from {@code offset}. */
    static PosixMapping map(PosixBackend backend, int fd, long offset, long length, boolean writable)
            throws ErrnoException {
        long size = (length + PosixPages.GUEST_PAGE - 1) & -PosixPages.GUEST_PAGE;
        long lead = offset - PosixPages.hostPageDown(offset);
        long baseSize = PosixPages.hostPageUp(lead + size);
        // Through jnr, which keeps the call's errno.
        long base = backend.libc().mmap(0, baseSize, writable ? PosixPages.PROT_READ | PosixPages.PROT_WRITE
                : PosixPages.PROT_READ, PosixPages.MAP_SHARED, fd, offset - lead);
        if (base == -1) {
            throw backend.lastError();
        }
        return new PosixMapping(base, baseSize, MemorySegment.ofAddress(base + lead).reinterpret(size));
    }

    @Override
    public MemorySegment segment() {
        return segment;
    }

    @Override
    public void sync(long offset, long length) {
        PosixPages.sync(segment.address() + offset, length);
    }

    @Override
    public void zeroFrom(long offset) {
        // The host page that holds the file's new end may still be touched; the ones after it may not.
        long from = PosixPages.hostPageUp(segment.address() + offset);
        if (from < base + baseSize) {
            PosixPages.replaceWithZeros(from, base + baseSize - from);
        }
    }

    @Override
    public void close() {
        PosixPages.unmap(base, baseSize);
    }
}
