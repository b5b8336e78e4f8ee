package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.Mman;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.VfsFile;
import dev.jlx.core.host.HostMapping;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.AddressSpace;
import java.lang.foreign.MemorySegment;

/** brk and the mmap family, served entirely by the process's {@link AddressSpace}. */
final class MmapSyscalls {
    private static final int KNOWN_MAP_FLAGS = Mman.MAP_SHARED | Mman.MAP_PRIVATE | Mman.MAP_FIXED
            | Mman.MAP_ANONYMOUS | Mman.MAP_GROWSDOWN | Mman.MAP_DENYWRITE | Mman.MAP_EXECUTABLE | Mman.MAP_LOCKED
            | Mman.MAP_NORESERVE | Mman.MAP_POPULATE | Mman.MAP_NONBLOCK | Mman.MAP_STACK | Mman.MAP_HUGETLB
            | Mman.MAP_SYNC | Mman.MAP_FIXED_NOREPLACE | Mman.MAP_32BIT | (0x3f << 26);

    private MmapSyscalls() {}

    /** Implements Linux syscall brk(2): returns the new break, or the old one on failure. */
    static long brk(GuestThread t, Args a) {
        return t.process().space().brk(a.addr(0));
    }

    /**
     * Implements Linux syscall mmap(2). Anonymous mappings are real; a private file mapping is a
     * copy of the file's bytes (the same as Linux until the file changes under it); a shared file
     * mapping is the host's own shared mapping of the file, so writes reach it.
     */
    static long mmap(GuestThread t, Args a) throws ErrnoException {
        long addr = a.addr(0);
        long length = a.u64(1);
        int prot = a.i32(2);
        int flags = a.i32(3);
        int fd = a.fd(4);
        long offset = a.raw(5);
        int type = flags & Mman.MAP_SHARED_VALIDATE;
        if (type != Mman.MAP_SHARED && type != Mman.MAP_PRIVATE && type != Mman.MAP_SHARED_VALIDATE) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (type == Mman.MAP_SHARED_VALIDATE && (flags & ~KNOWN_MAP_FLAGS) != 0) {
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        if (length == 0 || (offset & (AddressSpace.PAGE - 1)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((prot & ~(Mman.PROT_READ | Mman.PROT_WRITE | Mman.PROT_EXEC)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        AddressSpace space = t.process().space();
        if ((flags & Mman.MAP_32BIT) != 0 && (flags & Mman.MAP_FIXED) == 0 && addr == 0) {
            // x86-64 MAP_32BIT: the mapping must lie in the first 2 GiB.
            addr = 0x40000000L;
        }
        if ((flags & Mman.MAP_ANONYMOUS) != 0) {
            return space.map(addr, length, prot, flags, null);
        }
        OpenFile file = t.process().fds().get(fd);
        if (!file.readable()) {
            throw new ErrnoException(Errno.EACCES);
        }
        ByteString name = file instanceof VfsFile h ? (h.guestPath() != null ? h.guestPath() : h.ops().anonymousName())
                : null;
        if (type != Mman.MAP_PRIVATE) {
            return mapShared(t, file, name, addr, length, prot, flags, offset);
        }
        long start = space.map(addr, length, Mman.PROT_READ | Mman.PROT_WRITE, flags, name, null,
                AddressSpace.ALL_PROT, offset);
        try {
            ReadWriteSyscalls.readInto(file, space.memory(), start, length, offset);
            space.protect(start, length, prot);
        } catch (ErrnoException e) {
            space.unmap(start, length);
            throw e.errno() == Errno.EISDIR ? new ErrnoException(Errno.ENODEV) : e;
        }
        return start;
    }

    /**
     * A shared file mapping: the host maps the file's pages up to its end; pages past the end
     * (where Linux would raise SIGBUS) are private zero pages, since a host SIGBUS inside the
     * engine would end the JVM.
     */
    private static long mapShared(GuestThread t, OpenFile file, ByteString name, long addr, long length, int prot,
            int flags, long offset) throws ErrnoException {
        if (!(file instanceof VfsFile h)) {
            throw new ErrnoException(Errno.ENODEV);
        }
        boolean writable = file.writable();
        if ((prot & Mman.PROT_WRITE) != 0 && !writable) {
            throw new ErrnoException(Errno.EACCES);
        }
        if (writable && (sealsOf(h) & (Fcntl.F_SEAL_WRITE | Fcntl.F_SEAL_FUTURE_WRITE)) != 0) {
            // As shmem's mmap: no writable shared mapping of a file sealed against writes, nor one mprotect could make so.
            if ((prot & Mman.PROT_WRITE) != 0) {
                throw new ErrnoException(Errno.EPERM);
            }
            writable = false;
        }
        long len = AddressSpace.pageUp(length);
        long size = file.stat().size();
        long backed = Math.min(len, Math.max(0, AddressSpace.pageUp(size) - offset));
        AddressSpace space = t.process().space();
        int maxProt = Mman.PROT_READ | Mman.PROT_EXEC | (writable ? Mman.PROT_WRITE : 0);
        if (backed == 0) {
            return space.map(addr, len, prot, (flags & ~Mman.MAP_SHARED_VALIDATE) | Mman.MAP_PRIVATE, name, null,
                    AddressSpace.ALL_PROT, offset);
        }
        HostMapping host = h.ops().mapShared(offset, backed, writable);
        dev.jlx.core.host.HostStat st = file.stat();
        dev.jlx.core.mem.SharedFiles.mapped(st.dev(), st.ino(), host, offset);
        long start;
        try {
            start = space.map(addr, backed, prot, flags, name, host, maxProt, offset);
        } catch (ErrnoException e) {
            dev.jlx.core.mem.SharedFiles.unmapped(host);
            host.close();
            throw e;
        }
        if (backed < len) {
            try {
                space.map(start + backed, len - backed, prot, (flags & ~Mman.MAP_SHARED_VALIDATE) | Mman.MAP_PRIVATE
                        | Mman.MAP_FIXED, name, null, AddressSpace.ALL_PROT, offset + backed);
            } catch (ErrnoException e) {
                // No room for the zero pages past the end (the mapping limits): the whole mmap fails.
                space.unmap(start, backed);
                throw e;
            }
        }
        return start;
    }

    /** The file's F_SEAL_* seals; 0 for a file that takes none. */
    private static int sealsOf(VfsFile file) {
        try {
            return file.ops().seals();
        } catch (ErrnoException takesNone) {
            return 0;
        }
    }

    /** Implements Linux syscall msync(2). */
    static long msync(GuestThread t, Args a) throws ErrnoException {
        long addr = a.addr(0);
        int flags = a.i32(2);
        if ((addr & (AddressSpace.PAGE - 1)) != 0 || (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) != 0
                || (flags & (MS_ASYNC | MS_SYNC)) == (MS_ASYNC | MS_SYNC)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        t.process().space().sync(addr, a.u64(1), (flags & MS_SYNC) != 0);
        return 0;
    }

    /** msync(2) flags (asm-generic/mman-common.h). */
    private static final int MS_ASYNC = 1;
    private static final int MS_INVALIDATE = 2;
    private static final int MS_SYNC = 4;

    /** Implements Linux syscall munmap(2). */
    static long munmap(GuestThread t, Args a) throws ErrnoException {
        t.process().space().unmap(a.addr(0), a.u64(1));
        return 0;
    }

    /** Implements Linux syscall mprotect(2). */
    static long mprotect(GuestThread t, Args a) throws ErrnoException {
        t.process().space().protect(a.addr(0), a.u64(1), a.i32(2));
        return 0;
    }

    /** Implements Linux syscall mremap(2). */
    static long mremap(GuestThread t, Args a) throws ErrnoException {
        return t.process().space().remap(a.addr(0), a.u64(1), a.u64(2), a.i32(3), a.addr(4));
    }

    /** Implements Linux syscall madvise(2): DONTNEED zeroes private pages; the hints are accepted. */
    static long madvise(GuestThread t, Args a) throws ErrnoException {
        long addr = a.addr(0);
        long len = a.u64(1);
        int advice = a.i32(2);
        if ((addr & (AddressSpace.PAGE - 1)) != 0 || len < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        switch (advice) {
            case Mman.MADV_DONTNEED, Mman.MADV_FREE -> t.process().space().discard(addr, len);
            case Mman.MADV_NORMAL, Mman.MADV_RANDOM, Mman.MADV_SEQUENTIAL, Mman.MADV_WILLNEED, Mman.MADV_DONTFORK,
                    Mman.MADV_DOFORK, Mman.MADV_MERGEABLE, Mman.MADV_UNMERGEABLE, Mman.MADV_HUGEPAGE,
                    Mman.MADV_NOHUGEPAGE, Mman.MADV_DONTDUMP, Mman.MADV_DODUMP, Mman.MADV_COLD,
                    Mman.MADV_PAGEOUT -> {
                // Hints about paging, which the host decides for jlx's memory: no guest-visible effect.
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
        return 0;
    }
}
