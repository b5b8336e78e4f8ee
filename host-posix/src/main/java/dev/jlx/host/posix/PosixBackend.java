package dev.jlx.host.posix;

import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostConsole;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.HostIdentity;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.util.DefaultPOSIXHandler;

/**
 * {@link HostBackend} over jnr-posix and a small jnr-ffi libc binding. Only int-returning calls are
 * used, and errno is read right after each; the POSIX handler never throws.
 */
public final class PosixBackend implements HostBackend {
    private final POSIX posix;
    private final LibC libc;
    private final Runtime runtime;
    private final HostConstants constants;
    private final PosixFiles files;
    private final HostConsole console = new Console();
    private final HostIdentity identity = new Identity();

    PosixBackend() {
        this.posix = POSIXFactory.getNativePOSIX(new QuietHandler());
        this.libc = LibraryLoader.create(LibC.class).load("c");
        this.runtime = Runtime.getRuntime(libc);
        this.constants = HostConstants.forRunningHost();
        this.files = new PosixFiles(this);
    }

    POSIX posix() {
        return posix;
    }

    LibC libc() {
        return libc;
    }

    Runtime runtime() {
        return runtime;
    }

    HostConstants constants() {
        return constants;
    }

    /** The Linux errno for the host errno the last call left. */
    ErrnoException lastError() {
        return new ErrnoException(constants.linuxErrno(runtime.getLastError()));
    }

    /** struct timespec[2] in native memory, with UTIME_NOW/UTIME_OMIT translated for the host. */
    Pointer timespecPair(long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) {
        Pointer times = Memory.allocate(runtime, 32);
        times.putLong(0, atimeSec);
        times.putLong(8, constants.hostUtimeNsec(atimeNsec));
        times.putLong(16, mtimeSec);
        times.putLong(24, constants.hostUtimeNsec(mtimeNsec));
        return times;
    }

    /** The Linux errno for jnr-posix's last call. */
    ErrnoException posixError() {
        return new ErrnoException(constants.linuxErrno(posix.errno()));
    }

    @Override
    public String name() {
        return "posix";
    }

    @Override
    public HostFiles files() {
        return files;
    }

    @Override
    public HostConsole console() {
        return console;
    }

    @Override
    public HostIdentity identity() {
        return identity;
    }

    private final class Console implements HostConsole {
        /** TIOCGWINSZ on Linux (asm-generic/ioctls.h); other hosts need their own value. */
        private static final long LINUX_TIOCGWINSZ = 0x5413;
        /** glibc's struct termios: four tcflag_t, c_line, c_cc[32], two speed_t (60 bytes). */
        private static final int GLIBC_TERMIOS_SIZE = 60;
        private static final int LINUX_NCCS = 19;

        @Override
        public WindowSize windowSize(HostFile file) throws ErrnoException {
            int fd = PosixFile.fd(file);
            requireLinuxEncoding();
            Pointer ws = Memory.allocate(runtime, 8);
            if (libc.ioctl(fd, LINUX_TIOCGWINSZ, ws) < 0) {
                throw lastError();
            }
            return new WindowSize(ws.getShort(0) & 0xffff, ws.getShort(2) & 0xffff, ws.getShort(4) & 0xffff,
                    ws.getShort(6) & 0xffff);
        }

        @Override
        public Termios attributes(HostFile file) throws ErrnoException {
            int fd = PosixFile.fd(file);
            requireLinuxEncoding();
            Pointer t = Memory.allocate(runtime, GLIBC_TERMIOS_SIZE);
            if (libc.tcgetattr(fd, t) < 0) {
                throw lastError();
            }
            byte[] cc = new byte[LINUX_NCCS];
            t.get(17, cc, 0, LINUX_NCCS);
            return new Termios(t.getInt(0), t.getInt(4), t.getInt(8), t.getInt(12), t.getByte(16), cc);
        }

        /** Terminal structures and requests are Linux's only on a Linux host; others answer ENOTTY for now. */
        private void requireLinuxEncoding() throws ErrnoException {
            if (!constants.isLinux()) {
                throw new ErrnoException(dev.jlx.abi.Errno.ENOTTY, "terminal queries on a non-Linux host");
            }
        }
    }

    private final class Identity implements HostIdentity {
        @Override
        public int uid() {
            return posix.getuid();
        }

        @Override
        public int gid() {
            return posix.getgid();
        }

        @Override
        public int euid() {
            return posix.geteuid();
        }

        @Override
        public int egid() {
            return posix.getegid();
        }

        @Override
        public int[] groups() {
            int n = posix.getgroups(0, new int[0]);
            int[] groups = new int[Math.max(n, 0)];
            int got = n > 0 ? posix.getgroups(n, groups) : 0;
            return java.util.Arrays.copyOf(groups, Math.max(got, 0));
        }

        @Override
        public String hostname() {
            String name = posix.gethostname();
            return name != null ? name : "localhost";
        }
    }

    /** jnr-posix reports failures through errno only: nothing here may throw or print. */
    private static final class QuietHandler extends DefaultPOSIXHandler {
        @Override
        public void error(jnr.constants.platform.Errno error, String extraData) {
            // The caller reads errno().
        }

        @Override
        public void error(jnr.constants.platform.Errno error, String methodName, String extraData) {
            // The caller reads errno().
        }

        @Override
        public void warn(WARNING_ID id, String message, Object... data) {
            // jlx logs what matters itself.
        }

        @Override
        public boolean isVerbose() {
            return false;
        }
    }
}
