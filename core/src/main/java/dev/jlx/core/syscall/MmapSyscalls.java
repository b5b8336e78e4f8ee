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
        if (((flags & Mman.MAP_LOCKED) != 0 || space.locksFuture()) && !canLockFreely(t)
                && Long.compareUnsigned(space.lockedBytes() + AddressSpace.pageUp(length), lockLimit(t)) > 0) {
            // mlock_future_ok: a locked mapping must fit under RLIMIT_MEMLOCK.
            throw new ErrnoException(Errno.EAGAIN);
        }
        if ((flags & Mman.MAP_32BIT) != 0 && (flags & Mman.MAP_FIXED) == 0 && addr == 0) {
            // x86-64 MAP_32BIT: the mapping must lie in the first 2 GiB.
            addr = 0x40000000L;
        }
        if ((flags & Mman.MAP_ANONYMOUS) != 0) {
            long start = space.map(addr, length, prot, flags, null);
            if ((flags & Mman.MAP_LOCKED) != 0 || space.locksFuture() && !space.locksFutureOnFault()) {
                // A locked mapping is faulted in at once (do_mmap's populate).
                space.populate(start, AddressSpace.pageUp(length));
            }
            return start;
        }
        OpenFile file = t.process().fds().get(fd);
        if (file instanceof dev.jlx.core.kernel.IoUringRing ring) {
            // io_uring_mmap: the ring's own pages, shared with jlx.
            HostMapping m = ring.mapping(offset, length);
            long backed = m.segment().byteSize();
            long start;
            try {
                start = space.map(addr, backed, prot, flags, IoUringSyscalls.MAPS_NAME, m, AddressSpace.ALL_PROT, offset);
            } catch (ErrnoException e) {
                m.close();
                throw e;
            }
            long len = AddressSpace.pageUp(length);
            if (backed < len) {
                // Past the region Linux maps no page (a touch is SIGBUS); jlx maps zero pages.
                try {
                    space.map(start + backed, len - backed, prot, (flags & ~Mman.MAP_SHARED_VALIDATE) | Mman.MAP_PRIVATE
                            | Mman.MAP_ANONYMOUS | Mman.MAP_FIXED, IoUringSyscalls.MAPS_NAME);
                } catch (ErrnoException e) {
                    space.unmap(start, backed);
                    throw e;
                }
            }
            return start;
        }
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
        advise(t.process().space(), addr, len, advice);
        return 0;
    }

    /** madvise's advice on [addr, addr + len) of {@code space}: EINVAL for unknown advice, ENOMEM for an unmapped page. */
    private static void advise(AddressSpace space, long addr, long len, int advice) throws ErrnoException {
        switch (advice) {
            case Mman.MADV_DONTNEED, Mman.MADV_FREE -> space.discard(addr, len);
            case Mman.MADV_NORMAL, Mman.MADV_RANDOM, Mman.MADV_SEQUENTIAL, Mman.MADV_WILLNEED, Mman.MADV_DONTFORK,
                    Mman.MADV_DOFORK, Mman.MADV_MERGEABLE, Mman.MADV_UNMERGEABLE, Mman.MADV_HUGEPAGE,
                    Mman.MADV_NOHUGEPAGE, Mman.MADV_DONTDUMP, Mman.MADV_DODUMP, Mman.MADV_COLD,
                    Mman.MADV_PAGEOUT -> {
                // Hints about paging, which the host decides for jlx's memory: no guest-visible effect
                // but madvise_walk_vmas's ENOMEM for a hole (and mseal's EPERM for MADV_DONTFORK).
                space.checkMapped(addr, len);
                if (advice == Mman.MADV_DONTFORK) {
                    space.checkDiscardable(addr, addr + AddressSpace.pageUp(len));
                }
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
    }

    /** MADV_COLLAPSE (asm-generic/mman-common.h): the one remote advice Mman does not name. */
    private static final int MADV_COLLAPSE = 25;

    /**
     * Implements Linux syscall process_madvise(2) with mm/madvise.c's checks in its order: flags
     * (EINVAL), the iovec array (EINVAL, EFAULT), the pidfd (EBADF; ESRCH for a process without
     * memory any more), ptrace read access (EPERM); another process takes only MADV_COLD,
     * MADV_PAGEOUT, MADV_WILLNEED and MADV_COLLAPSE (EINVAL) and needs CAP_SYS_NICE (EPERM). Each
     * range is advised in turn; the bytes advised before a range fails are returned, else its error.
     */
    static long process_madvise(GuestThread t, Args a) throws ErrnoException {
        int advice = a.i32(3);
        if (a.i32(4) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long[] iov = ReadWriteSyscalls.iovecsUnchecked(t.process().space().memory(), a.addr(1), a.u64(2));
        dev.jlx.core.kernel.PidFd pidfd = PidFdSyscalls.pidfd(t, a.fd(0));
        dev.jlx.core.kernel.GuestProcess target = pidfd.process();
        if (pidfd.reaped() || target.zombie()) {
            throw new ErrnoException(Errno.ESRCH);
        }
        PidFdSyscalls.checkPtraceAccess(t.process(), target);
        if (target != t.process()) {
            if (advice != Mman.MADV_COLD && advice != Mman.MADV_PAGEOUT && advice != Mman.MADV_WILLNEED
                    && advice != MADV_COLLAPSE) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (!t.process().credentials().capable(dev.jlx.core.kernel.GuestProcess.CAP_SYS_NICE)) {
                throw new ErrnoException(Errno.EPERM);
            }
        }
        long done = 0;
        for (int i = 0; i < iov.length; i += 2) {
            long addr = iov[i];
            long len = iov[i + 1];
            try {
                if ((addr & (AddressSpace.PAGE - 1)) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                if (advice == MADV_COLLAPSE) {
                    // No huge pages: collapsing finds nothing to do, as on memory that cannot take one.
                    target.space().checkMapped(addr, len);
                } else {
                    advise(target.space(), addr, len, advice);
                }
            } catch (ErrnoException e) {
                if (done > 0) {
                    return done;
                }
                throw e;
            }
            done += len;
        }
        return done;
    }

    /**
     * Implements Linux syscall process_mrelease(2): flags must be 0 (EINVAL), then the pidfd (EBADF),
     * ESRCH for a process whose memory is gone (a zombie), EINVAL for one that is not exiting. An
     * exiting process's memory goes with its last thread, so there is nothing to hurry: 0.
     */
    static long process_mrelease(GuestThread t, Args a) throws ErrnoException {
        if (a.i32(1) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        dev.jlx.core.kernel.PidFd pidfd = PidFdSyscalls.pidfd(t, a.fd(0));
        dev.jlx.core.kernel.GuestProcess target = pidfd.process();
        if (pidfd.reaped() || target.zombie()) {
            throw new ErrnoException(Errno.ESRCH);
        }
        if (!target.exiting()) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return 0;
    }

    /**
     * Implements Linux syscall remap_file_pages(2) as mm/mmap.c emulates it since Linux 3.16: prot
     * must be 0, start and size are cut to pages, a size or page offset that wraps is EINVAL, then
     * {@link AddressSpace#remapPages}. Linux logs its deprecation once, and so does jlx.
     */
    static long remap_file_pages(GuestThread t, Args a) throws ErrnoException {
        long start = a.addr(0) & -AddressSpace.PAGE;
        long size = a.u64(1) & -AddressSpace.PAGE;
        long pgoff = a.u64(3);
        t.process().kernel().warnOnce("remap_file_pages", "remap_file_pages is deprecated (Linux emulates it with mmap)");
        if (a.u64(2) != 0 || Long.compareUnsigned(start + size, start) <= 0
                || Long.compareUnsigned(pgoff + (size >>> 12), pgoff) < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        t.process().space().remapPages(start, size, pgoff);
        return 0;
    }

    /**
     * Implements Linux syscall mseal(2) (Linux 6.10) with mm/mseal.c's checks in order: flags 0,
     * start page-aligned, a length that does not wrap (EINVAL); 0 for an empty range; then
     * {@link AddressSpace#seal} (ENOMEM for a hole).
     */
    static long mseal(GuestThread t, Args a) throws ErrnoException {
        long start = a.addr(0);
        long lengthIn = a.u64(1);
        if (a.u64(2) != 0 || (start & (AddressSpace.PAGE - 1)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        long length = (lengthIn + AddressSpace.PAGE - 1) & -AddressSpace.PAGE;
        long end = start + length;
        if (lengthIn != 0 && length == 0 || Long.compareUnsigned(end, start) < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (end == start) {
            return 0;
        }
        t.process().space().seal(start, end);
        return 0;
    }

    /** CAP_IPC_LOCK. */
    private static boolean canLockFreely(GuestThread t) {
        return t.process().credentials().capable(dev.jlx.core.kernel.GuestProcess.CAP_IPC_LOCK);
    }

    /** RLIMIT_MEMLOCK in bytes, rounded down to pages as Linux counts it. */
    private static long lockLimit(GuestThread t) {
        long limit = t.process().rlimits().soft(dev.jlx.abi.Resource.RLIMIT_MEMLOCK);
        return limit == -1 ? Long.MAX_VALUE : AddressSpace.pageDown(limit);
    }

    /** Implements Linux syscall mlock(2). */
    static long mlock(GuestThread t, Args a) throws ErrnoException {
        return lock(t, a.addr(0), a.u64(1), false);
    }

    /** Implements Linux syscall mlock2(2): MLOCK_ONFAULT locks without faulting the pages in. */
    static long mlock2(GuestThread t, Args a) throws ErrnoException {
        if ((a.i32(2) & ~Mman.MLOCK_ONFAULT) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return lock(t, a.addr(0), a.u64(1), (a.i32(2) & Mman.MLOCK_ONFAULT) != 0);
    }

    /**
     * do_mlock: EPERM when RLIMIT_MEMLOCK is 0 without CAP_IPC_LOCK, ENOMEM past the limit (pages
     * locked already counted once) or for an unmapped page. jlx keeps guest memory in the JVM's
     * process; the lock is recorded (VmLck, smaps), the host's pages are not locked.
     */
    private static long lock(GuestThread t, long address, long length, boolean onFault) throws ErrnoException {
        boolean capable = canLockFreely(t);
        long limit = lockLimit(t);
        if (limit == 0 && !capable) {
            throw new ErrnoException(Errno.EPERM);
        }
        long start = AddressSpace.pageDown(address);
        long len = AddressSpace.pageUp(length + (address - start));
        AddressSpace space = t.process().space();
        if (!capable) {
            long locked = space.lockedBytes() + len;
            if (Long.compareUnsigned(locked, limit) > 0) {
                locked -= space.lockedBytes(start, len);
            }
            if (Long.compareUnsigned(locked, limit) > 0) {
                throw new ErrnoException(Errno.ENOMEM);
            }
        }
        space.setLocked(start, len, true);
        // The pages are faulted in (and resident for mincore and smaps); a PROT_NONE page cannot be,
        // which __mlock_posix_error_return reports as ENOMEM, the lock made all the same.
        if (!onFault && !space.populate(start, len)) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        return 0;
    }

    /** Implements Linux syscall munlock(2). */
    static long munlock(GuestThread t, Args a) throws ErrnoException {
        long address = a.addr(0);
        long start = AddressSpace.pageDown(address);
        t.process().space().setLocked(start, AddressSpace.pageUp(a.u64(1) + (address - start)), false);
        return 0;
    }

    /**
     * Implements Linux syscall mlockall(2): MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT (with one of the
     * others); EPERM when RLIMIT_MEMLOCK is 0, ENOMEM when MCL_CURRENT would pass it (without
     * CAP_IPC_LOCK).
     */
    static long mlockall(GuestThread t, Args a) throws ErrnoException {
        int flags = a.i32(0);
        int known = Mman.MCL_CURRENT | Mman.MCL_FUTURE | Mman.MCL_ONFAULT;
        if (a.u64(0) == 0 || (a.u64(0) & ~(long) known) != 0 || flags == Mman.MCL_ONFAULT) {
            throw new ErrnoException(Errno.EINVAL);
        }
        boolean capable = canLockFreely(t);
        long limit = lockLimit(t);
        if (limit == 0 && !capable) {
            throw new ErrnoException(Errno.EPERM);
        }
        AddressSpace space = t.process().space();
        boolean current = (flags & Mman.MCL_CURRENT) != 0;
        if (current && !capable && Long.compareUnsigned(space.mappedBytes(), limit) > 0) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        space.lockAll(current, (flags & Mman.MCL_FUTURE) != 0, (flags & Mman.MCL_ONFAULT) != 0);
        return 0;
    }

    /** Implements Linux syscall munlockall(2). */
    static long munlockall(GuestThread t, Args a) {
        t.process().space().unlockAll();
        return 0;
    }

    /**
     * Implements Linux syscall mincore(2): one byte per page, 1 where the host holds the page in
     * memory (an untouched anonymous page is not, as on Linux; jlx's private file mappings are copies
     * made at mmap time, so theirs are). The pages before an unmapped one are written, then ENOMEM.
     */
    static long mincore(GuestThread t, Args a) throws ErrnoException {
        long start = a.addr(0);
        long len = a.u64(1);
        long vec = a.addr(2);
        if ((start & (AddressSpace.PAGE - 1)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        try {
            dev.jlx.core.mem.GuestMemory.accessOk(start, len);
        } catch (ErrnoException outside) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        long pages = (len >>> 12) + ((len & (AddressSpace.PAGE - 1)) != 0 ? 1 : 0);
        dev.jlx.core.mem.GuestMemory.accessOk(vec, pages);
        AddressSpace space = t.process().space();
        // In pieces of a page of vector, as do_mincore's loop copies each out before the next.
        byte[] piece = new byte[(int) AddressSpace.PAGE];
        for (long done = 0; done < pages; ) {
            int n = (int) Math.min(pages - done, piece.length);
            int filled = space.residency(start + done * AddressSpace.PAGE, n, piece);
            if (filled > 0) {
                space.memory().write(vec + done, java.util.Arrays.copyOf(piece, filled));
            }
            if (filled < n) {
                throw new ErrnoException(Errno.ENOMEM);
            }
            done += n;
        }
        return 0;
    }

    /** membarrier(2)'s commands (linux/membarrier.h): each a bit of QUERY's answer. */
    private static final int MEMBARRIER_CMD_GLOBAL = 1;
    private static final int MEMBARRIER_CMD_GLOBAL_EXPEDITED = 2;
    private static final int MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED = 4;
    private static final int MEMBARRIER_CMD_PRIVATE_EXPEDITED = 8;
    private static final int MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED = 16;
    private static final int MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE = 32;
    private static final int MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE = 64;
    private static final int MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ = 128;
    private static final int MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ = 256;
    private static final int MEMBARRIER_CMD_GET_REGISTRATIONS = 512;
    private static final int MEMBARRIER_CMD_FLAG_CPU = 1;

    /**
     * Implements Linux syscall membarrier(2) as Linux 6.3 and later answer it: QUERY, the global and
     * private commands and their registrations (a private command of a process not registered for
     * it is EPERM), GET_REGISTRATIONS. The barrier itself is a full fence of the host's: jlx runs
     * every guest thread on a host thread of its own, whose emulated stores the host's memory
     * model orders as the guest's x86 model asks.
     */
    static long membarrier(GuestThread t, Args a) throws ErrnoException {
        int cmd = a.i32(0);
        int flags = a.i32(1);
        if (cmd == MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ ? flags != 0 && flags != MEMBARRIER_CMD_FLAG_CPU
                : flags != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        java.util.concurrent.atomic.AtomicInteger registered = t.process().space().membarrierRegistrations();
        switch (cmd) {
            case 0 -> {
                return 2 * MEMBARRIER_CMD_GET_REGISTRATIONS - 1;
            }
            case MEMBARRIER_CMD_GLOBAL, MEMBARRIER_CMD_GLOBAL_EXPEDITED -> { }
            case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED,
                    MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE,
                    MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ -> registered.getAndUpdate(r -> r | cmd);
            case MEMBARRIER_CMD_PRIVATE_EXPEDITED, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE,
                    MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ -> {
                // Each private command's registration is the bit above it.
                if ((registered.get() & (cmd << 1)) == 0) {
                    throw new ErrnoException(Errno.EPERM);
                }
            }
            case MEMBARRIER_CMD_GET_REGISTRATIONS -> {
                // Registering for SYNC_CORE or RSEQ marks the process registered for PRIVATE_EXPEDITED
                // too (its state bit, not its ready bit, which that command checks).
                int r = registered.get();
                boolean privateState = (r & (MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE
                        | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ)) != 0;
                return privateState ? r | MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED : r;
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
        java.lang.invoke.VarHandle.fullFence();
        return 0;
    }

    /** PKEY_DISABLE_ACCESS | PKEY_DISABLE_WRITE: the access rights pkey_alloc takes. */
    private static final long PKEY_ACCESS_MASK = 3;

    /**
     * Implements Linux syscall pkey_alloc(2) as Linux answers on a CPU without protection keys (no
     * PKU, as the emulated one): the first call takes key 0 and cannot set its rights (EINVAL), every
     * later one finds no key (ENOSPC).
     */
    static long pkey_alloc(GuestThread t, Args a) throws ErrnoException {
        if (a.u64(0) != 0 || (a.u64(1) & ~PKEY_ACCESS_MASK) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        throw new ErrnoException(t.process().space().pkeyTaken().getAndSet(true) ? Errno.ENOSPC : Errno.EINVAL);
    }

    /** Implements Linux syscall pkey_free(2): without PKU no key is allocated, not even key 0: EINVAL. */
    static long pkey_free(GuestThread t, Args a) throws ErrnoException {
        throw new ErrnoException(Errno.EINVAL);
    }

    /**
     * Implements Linux syscall pkey_mprotect(2): key -1 is mprotect; any other is not allocated
     * (EINVAL), checked after mprotect's own argument checks, as do_mprotect_pkey does.
     */
    static long pkey_mprotect(GuestThread t, Args a) throws ErrnoException {
        t.process().space().protect(a.addr(0), a.u64(1), a.i32(2), a.i32(3));
        return 0;
    }
}
