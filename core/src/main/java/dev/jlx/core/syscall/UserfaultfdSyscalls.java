package dev.jlx.core.syscall;

import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.UserfaultFd;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;
import dev.jlx.core.mem.GuestMemory;
import java.nio.ByteBuffer;

/**
 * userfaultfd(2) and its ioctls (fs/userfaultfd.c). jlx registers no range: its engines map a
 * private page whole, with host memory the host commits on first touch, so a missing page is never
 * a fault jlx could hold a thread on; UFFDIO_REGISTER is EINVAL (as for a mapping Linux cannot
 * watch) with a warning, UFFDIO_API offers no feature, and UFFDIO_COPY and UFFDIO_ZEROPAGE find
 * nothing registered (ENOENT), each after Linux's checks of its arguments.
 */
final class UserfaultfdSyscalls {
    private static final int UFFD_USER_MODE_ONLY = 1;
    private static final long UFFD_API = 0xaa;
    /** _IO(USERFAULTFD_IOC, 0x00): /dev/userfaultfd's one request. */
    private static final int USERFAULTFD_IOC_NEW = 0xaa00;
    static final int UFFDIO_API = 0xc018aa3f;
    static final int UFFDIO_REGISTER = 0xc020aa00;
    static final int UFFDIO_UNREGISTER = 0x8010aa01;
    static final int UFFDIO_WAKE = 0x8010aa02;
    static final int UFFDIO_COPY = 0xc028aa03;
    static final int UFFDIO_ZEROPAGE = 0xc020aa04;
    /** UFFD_API_IOCTLS: UFFDIO_REGISTER, UFFDIO_UNREGISTER and UFFDIO_API, by their numbers' bits. */
    private static final long API_IOCTLS = 1L << 63 | 1 << 1 | 1;
    /** UFFD_API_REGISTER_MODES: MISSING, WP, MINOR. */
    private static final long REGISTER_MODES = 7;
    private static final long COPY_MODES = 3;
    private static final long ZEROPAGE_MODES = 1;
    private static final long PAGE = 4096;
    /** TASK_SIZE of x86-64's 47-bit address space, and Debian's vm.mmap_min_addr. */
    private static final long TASK_SIZE = 0x7ffffffff000L;
    private static final long MMAP_MIN_ADDR = 65536;

    private UserfaultfdSyscalls() {}

    /**
     * Implements Linux syscall userfaultfd(2): EPERM unless UFFD_USER_MODE_ONLY or CAP_SYS_PTRACE
     * (vm.unprivileged_userfaultfd is 0), EINVAL for other flags than O_CLOEXEC and O_NONBLOCK.
     */
    static long userfaultfd(GuestThread t, Args a) throws ErrnoException {
        return create(t.process(), a.i32(0), true);
    }

    /** new_userfaultfd; {@code checked}: the syscall's privilege check (/dev/userfaultfd's access is its own). */
    static long create(GuestProcess p, int flags, boolean checked) throws ErrnoException {
        if (checked && (flags & UFFD_USER_MODE_ONLY) == 0 && !p.credentials().capable(GuestProcess.CAP_SYS_PTRACE)) {
            throw new ErrnoException(Errno.EPERM);
        }
        if ((flags & ~(OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK | UFFD_USER_MODE_ONLY)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestProcess.Credentials c = p.credentials();
        UserfaultFd file = new UserfaultFd(flags & OpenFlags.O_NONBLOCK, c.fsuid(), c.fsgid());
        return FileSyscalls.installNew(p, file, (flags & OpenFlags.O_CLOEXEC) != 0);
    }

    /** /dev/userfaultfd's ioctl: USERFAULTFD_IOC_NEW makes a userfaultfd (the device's 0600 being its check); others EINVAL. */
    static long deviceIoctl(GuestThread t, int request, int flags) throws ErrnoException {
        if (request != USERFAULTFD_IOC_NEW) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return create(t.process(), flags, false);
    }

    /** userfaultfd_ioctl: every request but UFFDIO_API is EINVAL before the handshake. */
    static long ioctl(GuestThread t, UserfaultFd f, int request, long arg) throws ErrnoException {
        if (request != UFFDIO_API && !f.initialized()) {
            throw new ErrnoException(Errno.EINVAL);
        }
        GuestMemory mem = t.process().space().memory();
        switch (request) {
            case UFFDIO_API -> {
                ByteBuffer b = mem.readStruct(arg, 24);
                long api = b.getLong(0);
                long features = b.getLong(8);
                // No feature is offered: jlx sends no event at all. A failure writes the struct back zeroed.
                if (api != UFFD_API || features != 0 || !f.initialize()) {
                    mem.write(arg, new byte[24]);
                    throw new ErrnoException(Errno.EINVAL);
                }
                mem.writeStruct(arg, GuestMemory.structBuffer(24).putLong(0, UFFD_API).putLong(16, API_IOCTLS));
                return 0;
            }
            case UFFDIO_REGISTER -> {
                ByteBuffer b = mem.readStruct(arg, 32);
                long mode = b.getLong(16);
                checkRange(b.getLong(0), b.getLong(8));
                if (mode == 0 || (mode & ~REGISTER_MODES) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                t.process().kernel().warnOnce("uffd-register",
                        "UFFDIO_REGISTER: jlx cannot hold a thread on a missing page (EINVAL)");
                throw new ErrnoException(Errno.EINVAL);
            }
            case UFFDIO_UNREGISTER, UFFDIO_WAKE -> {
                ByteBuffer b = mem.readStruct(arg, 16);
                checkRange(b.getLong(0), b.getLong(8));
                // Nothing is registered, so nothing to undo, and no thread waits on a fault.
                return 0;
            }
            case UFFDIO_COPY -> {
                ByteBuffer b = mem.readStruct(arg, 32);
                long dst = b.getLong(0);
                long src = b.getLong(8);
                long len = b.getLong(16);
                if (len == 0 || src < MMAP_MIN_ADDR || Long.compareUnsigned(src, TASK_SIZE) >= 0
                        || Long.compareUnsigned(len, TASK_SIZE - src) > 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                checkRange(dst, len);
                if ((b.getLong(24) & ~COPY_MODES) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                mem.writeLong(arg + 32, -Errno.ENOENT.number());
                throw new ErrnoException(Errno.ENOENT);
            }
            case UFFDIO_ZEROPAGE -> {
                ByteBuffer b = mem.readStruct(arg, 24);
                checkRange(b.getLong(0), b.getLong(8));
                if ((b.getLong(16) & ~ZEROPAGE_MODES) != 0) {
                    throw new ErrnoException(Errno.EINVAL);
                }
                mem.writeLong(arg + 24, -Errno.ENOENT.number());
                throw new ErrnoException(Errno.ENOENT);
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
    }

    /** validate_range: page-aligned, not empty, inside the user address space above mmap_min_addr. */
    private static void checkRange(long start, long len) throws ErrnoException {
        if ((start & (PAGE - 1)) != 0 || (len & (PAGE - 1)) != 0 || len == 0 || start < MMAP_MIN_ADDR
                || Long.compareUnsigned(start, TASK_SIZE) >= 0 || Long.compareUnsigned(len, TASK_SIZE - start) > 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
    }
}
