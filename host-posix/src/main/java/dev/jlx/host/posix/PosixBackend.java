package dev.jlx.host.posix;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Resource;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostConsole;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.HostIdentity;
import dev.jlx.core.host.HostMemory;
import dev.jlx.core.host.HostNetwork;
import dev.jlx.core.host.HostRlimit;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import java.util.Arrays;
import jnr.constants.platform.RLIM;
import jnr.constants.platform.RLIMIT;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.posix.FileStat;
import jnr.posix.NanosecondFileStat;
import jnr.posix.POSIX;

/**
 * {@link HostBackend} over a jnr-ffi libc binding ({@link LibC}), with errno read right after each
 * call, and jnr-posix's stat where jlx does not know the host's struct stat. Every value crossing
 * the boundary is translated by {@link HostConstants}.
 */
public final class PosixBackend implements HostBackend {
    private final LibC libc;
    /** The Linux-only calls: only the {@code posix} profile on a Linux host has them, else null. */
    private final LinuxOnly linuxOnly;
    /** macOS's own signatures on a macOS host, else null. */
    private final DarwinLibC darwin;
    private final String name;
    private final Runtime runtime;
    private final HostConstants constants;
    private final PosixFiles files;
    private final HostConsole console = new Console();
    private final HostIdentity identity = new Identity();
    private final HostMemory memory;
    private final PosixNetwork network;

    /**
     * @param linuxOnlyCalls whether the backend may use the Linux-only calls ({@link LinuxOnly}) when
     *     the host is Linux: the {@code posix} profile; without them it is the {@code portable} one,
     *     which uses only what macOS also has
     */
    PosixBackend(boolean linuxOnlyCalls) {
        this.libc = NativePosix.libc();
        this.runtime = Runtime.getSystemRuntime();
        this.constants = HostConstants.forRunningHost();
        this.name = linuxOnlyCalls ? "posix" : "portable";
        this.linuxOnly = linuxOnlyCalls && constants.isLinux() ? NativePosix.linuxOnly() : null;
        this.darwin = constants.isLinux() ? null : NativePosix.darwin();
        this.statx = linuxOnly != null;
        this.statLayout = StatLayout.ofRunningHost();
        this.files = new PosixFiles(this);
        // The portable profile's fork copies pages: memfds are Linux-only too.
        this.memory = new PosixHostMemory(linuxOnly != null);
        this.network = new PosixNetwork(constants, linuxOnlyCalls);
    }

    LibC libc() {
        return libc;
    }

    /** The Linux-only calls, or null when this backend may not use them (see {@link #PosixBackend(boolean)}). */
    LinuxOnly linuxOnly() {
        return linuxOnly;
    }

    /** macOS's own calls, or null on another host. */
    DarwinLibC darwin() {
        return darwin;
    }

    /** open(2), bound variadically on macOS (see {@link DarwinLibC}). */
    int open(byte[] path, int hostFlags, int mode) {
        return darwin != null ? darwin.open(path, hostFlags, mode) : libc.open(path, hostFlags, mode);
    }

    /** ioctl(2) with a pointer argument, bound variadically on macOS. */
    int ioctl(int fd, long request, Pointer arg) {
        return darwin != null ? darwin.ioctl(fd, request, arg) : libc.ioctl(fd, request, arg);
    }

    /** fcntl(2) with an integer argument, bound variadically on macOS. */
    int fcntl(int fd, int cmd, long arg) {
        return darwin != null ? darwin.fcntl(fd, cmd, arg) : libc.fcntl(fd, cmd, arg);
    }

    Runtime runtime() {
        return runtime;
    }

    HostConstants constants() {
        return constants;
    }

    /** A host struct statfs, filled by {@code call}, in Linux's terms. */
    HostStatfs statfs(java.util.function.ToIntFunction<Pointer> call) throws ErrnoException {
        StatfsLayout layout = constants.isLinux() ? StatfsLayout.LINUX : StatfsLayout.DARWIN;
        Pointer b = Memory.allocate(runtime, layout.size());
        if (call.applyAsInt(b) < 0) {
            throw lastError();
        }
        return layout.read(b);
    }

    /** statx's mask for everything stat knows plus the birth time (STATX_BASIC_STATS | STATX_BTIME). */
    private static final int STATX_WANTED = 0x7ff | 0x800;
    private static final int STATX_BTIME = 0x800;
    /** Set when {@link LinuxOnly} is bound; cleared when glibc lacks statx (before 2.28). */
    private volatile boolean statx;
    /** struct statx, 256 bytes, one per thread: the VFS stats a lot. */
    private final ThreadLocal<Pointer> statxBuffer = ThreadLocal.withInitial(
            () -> Memory.allocateDirect(jnr.ffi.Runtime.getSystemRuntime(), 256));

    boolean hasStatx() {
        return statx;
    }

    /**
     * statx(2) with Linux's {@code AT_*} flags into a reused buffer: one host call, no jnr-posix
     * objects, and the birth time where the file system keeps one. Null when the backend has no statx
     * (the {@code portable} profile, macOS, an old glibc): callers then use {@link #stat} and {@link #fstat}.
     */
    HostStat statx(int dirfd, byte[] path, int flags) throws ErrnoException {
        if (!statx) {
            return null;
        }
        Pointer b = statxBuffer.get();
        try {
            if (linuxOnly.statx(dirfd, path, flags, STATX_WANTED, b) < 0) {
                throw lastError();
            }
        } catch (UnsatisfiedLinkError olderGlibc) {
            statx = false;
            return null;
        }
        // struct statx (linux/stat.h): mask 0, blksize 4, nlink 16, uid 20, gid 24, mode 28 (u16), ino 32,
        // size 40, blocks 48, then atime 64, btime 80, ctime 96, mtime 112 as (s64 sec, u32 nsec), and
        // rdev major/minor at 128/132, dev major/minor at 136/140; attributes 8, attributes_mask 56.
        boolean btime = (b.getInt(0) & STATX_BTIME) != 0;
        return new HostStat(makedev(b.getInt(136), b.getInt(140)), b.getLong(32),
                constants.linuxMode(b.getShort(28) & 0xffff), Integer.toUnsignedLong(b.getInt(16)), b.getInt(20),
                b.getInt(24), makedev(b.getInt(128), b.getInt(132)), b.getLong(40), Integer.toUnsignedLong(b.getInt(4)),
                b.getLong(48), b.getLong(64), Integer.toUnsignedLong(b.getInt(72)), b.getLong(112),
                Integer.toUnsignedLong(b.getInt(120)), b.getLong(96), Integer.toUnsignedLong(b.getInt(104)),
                btime ? b.getLong(80) : HostStat.NO_BTIME, btime ? Integer.toUnsignedLong(b.getInt(88)) : 0,
                b.getLong(8), b.getLong(56));
    }

    private static long makedev(int major, int minor) {
        return StatLayout.makedev(major, minor);
    }

    /** The host's struct stat layout; null where jlx knows none, or glibc has no stat symbol (before 2.33). */
    private volatile StatLayout statLayout;
    /** One struct stat buffer per thread, as large as any layout's. */
    private final ThreadLocal<Pointer> statBuffer = ThreadLocal.withInitial(
            () -> Memory.allocateDirect(jnr.ffi.Runtime.getSystemRuntime(), 144));

    /** stat(2) or lstat(2) of {@code path} (the host's struct stat read by {@link StatLayout}). */
    HostStat stat(dev.jlx.core.ByteString path, boolean followLinks) throws ErrnoException {
        StatLayout layout = statLayout;
        if (layout != null) {
            Pointer b = statBuffer.get();
            try {
                byte[] c = path.toCString();
                if ((followLinks ? libc.stat(c, b) : libc.lstat(c, b)) < 0) {
                    throw lastError();
                }
                return layout.read(b, constants);
            } catch (UnsatisfiedLinkError olderGlibc) {
                statLayout = null;
            }
        }
        // jnr-posix takes a String: names are UTF-8 on the hosts that get here (an old glibc).
        POSIX posix = NativePosix.posix();
        FileStat fs = posix.allocateStat();
        if ((followLinks ? posix.stat(path.utf8(), fs) : posix.lstat(path.utf8(), fs)) < 0) {
            throw posixError(posix);
        }
        return hostStat(fs);
    }

    /** fstat(2), as {@link #stat}. */
    HostStat fstat(int fd) throws ErrnoException {
        StatLayout layout = statLayout;
        if (layout != null) {
            Pointer b = statBuffer.get();
            try {
                if (libc.fstat(fd, b) < 0) {
                    throw lastError();
                }
                return layout.read(b, constants);
            } catch (UnsatisfiedLinkError olderGlibc) {
                statLayout = null;
            }
        }
        POSIX posix = NativePosix.posix();
        FileStat fs = posix.allocateStat();
        if (posix.fstat(fd, fs) < 0) {
            throw posixError(posix);
        }
        return hostStat(fs);
    }

    /** A jnr pointer to native memory such as guest memory; null for an empty segment. */
    Pointer pointer(java.lang.foreign.MemorySegment segment) {
        return segment.byteSize() == 0 ? null : runtime.getMemoryManager().newPointer(segment.address(), segment.byteSize());
    }

    /** macOS's XATTR_NOFOLLOW ({@code <sys/xattr.h>}): the options of an xattr call on a link itself. */
    static final int DARWIN_XATTR_NOFOLLOW = 0x1;

    /**
     * Linux's setxattr flags (XATTR_CREATE 1, XATTR_REPLACE 2) as macOS's (0x2, 0x4); other bits
     * are EINVAL, as on Linux.
     */
    static int darwinXattrFlags(int linuxFlags) throws ErrnoException {
        if ((linuxFlags & ~3) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        return (linuxFlags & 1) << 1 | (linuxFlags & 2) << 1;
    }

    /** A libc result: itself, or the host's errno as a Linux one when negative. */
    long checked(long result) throws ErrnoException {
        if (result < 0) {
            throw lastError();
        }
        return result;
    }

    ErrnoException lastError() {
        return new ErrnoException(constants.linuxErrno(runtime.getLastError()));
    }

    /** A C string filled into {@code buffer} by the host: the bytes before its NUL (or all of them). */
    static String string(byte[] buffer, java.nio.charset.Charset charset) {
        int end = 0;
        while (end < buffer.length && buffer[end] != 0) {
            end++;
        }
        return new String(buffer, 0, end, charset);
    }

    /** The Linux errno for the host errno jnr-posix's last call left. */
    private ErrnoException posixError(POSIX posix) {
        return new ErrnoException(constants.linuxErrno(posix.errno()));
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

    /** A host struct stat in Linux units: the mode translated by name, times with nanoseconds. */
    HostStat hostStat(FileStat st) {
        long an = 0;
        long mn = 0;
        long cn = 0;
        // jnr-posix's Linux and macOS stat layouts carry the nanoseconds; others would report 0.
        if (st instanceof NanosecondFileStat ns) {
            an = ns.aTimeNanoSecs();
            mn = ns.mTimeNanoSecs();
            cn = ns.cTimeNanoSecs();
        }
        return new HostStat(st.dev(), st.ino(), constants.linuxMode(st.mode()), st.nlink(), st.uid(), st.gid(),
                st.rdev(), st.st_size(), st.blockSize(), st.blocks(), st.atime(), an, st.mtime(), mn, st.ctime(), cn);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public HostFiles files() {
        return files;
    }

    @Override
    public HostConsole console() {
        return console;
    }

    /** The C library's signal(3), for the signals whose numbers macOS shares with Linux. */
    @Override
    public boolean defaultSignalAction(int sig) {
        if (!java.util.Set.of(1, 2, 3, 4, 5, 6, 8, 9, 11, 13, 14, 15).contains(sig)) {
            return false;
        }
        libc.signal(sig, null);
        return true;
    }

    @Override
    public HostIdentity identity() {
        return identity;
    }

    @Override
    public HostMemory memory() {
        return memory;
    }

    @Override
    public HostNetwork network() {
        return network;
    }

    /**
     * A host terminal through termios: on Linux the kernel's own requests (TCGETS, TCSETS...) with
     * Linux's struct termios, which is the guest's; on macOS tcgetattr and tcsetattr with Darwin's
     * struct, translated by {@link DarwinTermios}. Queue selectors, flow actions and request numbers
     * are the host's, by name ({@link HostHeaders}).
     */
    private final class Console implements HostConsole {
        // ioctl's argument is bound @Out (jnr copies nothing in): what a request reads is in native memory.
        /** glibc's struct termios: four tcflag_t, c_line, c_cc[32], two speed_t (60 bytes). */
        private static final int GLIBC_TERMIOS_SIZE = 60;
        /** Linux's struct termios (asm-generic/termbits.h): four tcflag_t, c_line, c_cc[19] (36 bytes). */
        private static final int LINUX_TERMIOS_SIZE = 36;
        private static final int LINUX_NCCS = 19;
        private static final String[] QUEUES = {"TCIFLUSH", "TCOFLUSH", "TCIOFLUSH"};
        private static final String[] FLOW = {"TCOOFF", "TCOON", "TCIOFF", "TCION"};
        /** The resize listeners of this backend, called from one SIGWINCH handler. */
        private final java.util.List<Runnable> resizeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
        private boolean winchInstalled;

        /** ioctl(fd, TIOCGWINSZ, struct winsize *): four unsigned shorts on Linux and macOS alike. */
        @Override
        public WindowSize windowSize(HostFile file) throws ErrnoException {
            Pointer ws = Memory.allocate(runtime, 8);
            if (ioctl(PosixFile.fd(file), constants.tiocgwinsz(), ws) < 0) {
                throw lastError();
            }
            return new WindowSize(ws.getShort(0) & 0xffff, ws.getShort(2) & 0xffff, ws.getShort(4) & 0xffff,
                    ws.getShort(6) & 0xffff);
        }

        /** ioctl(fd, TIOCSWINSZ, const struct winsize *). */
        @Override
        public void setWindowSize(HostFile file, WindowSize size) throws ErrnoException {
            Pointer ws = Memory.allocateDirect(runtime, 8);
            ws.putShort(0, (short) size.rows());
            ws.putShort(2, (short) size.columns());
            ws.putShort(4, (short) size.xpixels());
            ws.putShort(6, (short) size.ypixels());
            check(ioctl(PosixFile.fd(file), constants.header("TIOCSWINSZ"), ws));
        }

        /** tcgetattr(3): glibc's struct termios is Linux's; macOS's is translated by {@link DarwinTermios}. */
        @Override
        public Termios attributes(HostFile file) throws ErrnoException {
            int fd = PosixFile.fd(file);
            boolean linux = constants.isLinux();
            Pointer t = Memory.allocate(runtime, linux ? GLIBC_TERMIOS_SIZE : DarwinTermios.SIZE);
            if (libc.tcgetattr(fd, t) < 0) {
                throw lastError();
            }
            if (!linux) {
                return DarwinTermios.read(t);
            }
            byte[] cc = new byte[LINUX_NCCS];
            t.get(17, cc, 0, LINUX_NCCS);
            return new Termios(t.getInt(0), t.getInt(4), t.getInt(8), t.getInt(12), t.getByte(16), cc);
        }

        /**
         * Linux: ioctl(fd, TCSETS + action, const struct termios *), exactly what the guest asked;
         * macOS: tcsetattr(fd, action, ...) over the terminal's current settings (TCSANOW, TCSADRAIN and
         * TCSAFLUSH are 0, 1, 2 there too).
         */
        @Override
        public void setAttributes(HostFile file, Termios termios, int action) throws ErrnoException {
            int fd = PosixFile.fd(file);
            if (constants.isLinux()) {
                Pointer t = Memory.allocateDirect(runtime, LINUX_TERMIOS_SIZE);
                t.putInt(0, termios.iflag());
                t.putInt(4, termios.oflag());
                t.putInt(8, termios.cflag());
                t.putInt(12, termios.lflag());
                t.putByte(16, termios.line());
                t.put(17, termios.cc(), 0, LINUX_NCCS);
                check(ioctl(fd, constants.header("TCSETS") + action, t));
                return;
            }
            Pointer t = Memory.allocate(runtime, DarwinTermios.SIZE);
            check(libc.tcgetattr(fd, t));
            DarwinTermios.write(termios, t);
            check(libc.tcsetattr(fd, action, t));
        }

        /** tcflush(3) with the host's queue selector. */
        @Override
        public void flush(HostFile file, int queues) throws ErrnoException {
            check(libc.tcflush(PosixFile.fd(file), (int) constants.header(QUEUES[queues])));
        }

        /** tcflow(3) with the host's action. */
        @Override
        public void flow(HostFile file, int action) throws ErrnoException {
            check(libc.tcflow(PosixFile.fd(file), (int) constants.header(FLOW[action])));
        }

        /** tcdrain(3). */
        @Override
        public void drain(HostFile file) throws ErrnoException {
            check(libc.tcdrain(PosixFile.fd(file)));
        }

        /** tcsendbreak(3): glibc turns milliseconds into TCSBRKP's tenths (0: TCSBRK's quarter second); macOS's lasts 0.4 s. */
        @Override
        public void sendBreak(HostFile file, int deciseconds) throws ErrnoException {
            check(libc.tcsendbreak(PosixFile.fd(file), deciseconds * 100));
        }

        /** ioctl(fd, TIOCSBRK or TIOCCBRK), which take no argument. */
        @Override
        public void setBreak(HostFile file, boolean on) throws ErrnoException {
            check(ioctl(PosixFile.fd(file), constants.header(on ? "TIOCSBRK" : "TIOCCBRK"), null));
        }

        /** ioctl(fd, TIOCOUTQ, int *). */
        @Override
        public int outputQueued(HostFile file) throws ErrnoException {
            Pointer n = Memory.allocate(runtime, 4);
            check(ioctl(PosixFile.fd(file), constants.header("TIOCOUTQ"), n));
            return n.getInt(0);
        }

        /** tcgetpgrp(3) of jlx's controlling terminal against jlx's own group (getpgrp(2)). */
        @Override
        public boolean foreground(HostFile file) throws ErrnoException {
            int group = libc.tcgetpgrp(PosixFile.fd(file));
            if (group < 0) {
                throw lastError();
            }
            return group == libc.getpgrp();
        }

        /**
         * The host's own struct termios as tcgetattr gives it (TCGETS on Linux), on a duplicate of the
         * descriptor that lives until the restore.
         */
        @Override
        public Saved save(HostFile file) throws ErrnoException {
            int fd = PosixFile.fd(file);
            boolean linux = constants.isLinux();
            Pointer t = Memory.allocateDirect(runtime, linux ? LINUX_TERMIOS_SIZE : DarwinTermios.SIZE);
            check(linux ? ioctl(fd, constants.header("TCGETS"), t) : libc.tcgetattr(fd, t));
            int copy = libc.dup(fd);
            if (copy < 0) {
                throw lastError();
            }
            return new SavedTermios(copy, t);
        }

        /** Restores a saved state once, then closes its descriptor. */
        private final class SavedTermios implements Saved {
            private int fd;
            private final Pointer termios;

            SavedTermios(int fd, Pointer termios) {
                this.fd = fd;
                this.termios = termios;
            }

            /**
             * TCSETS (tcsetattr TCSANOW on macOS) with SIGTTOU ignored for the call, so that jlx in the
             * background of the user's shell is not stopped by it (Linux lets a process that ignores
             * SIGTTOU change the terminal).
             */
            @Override
            public synchronized void restore() {
                if (fd < 0) {
                    return;
                }
                sun.misc.Signal ttou = new sun.misc.Signal("TTOU");
                sun.misc.SignalHandler before = sun.misc.Signal.handle(ttou, sun.misc.SignalHandler.SIG_IGN);
                try {
                    if (constants.isLinux()) {
                        ioctl(fd, constants.header("TCSETS"), termios);
                    } else {
                        libc.tcsetattr(fd, 0, termios);
                    }
                } finally {
                    sun.misc.Signal.handle(ttou, before);
                    libc.close(fd);
                    fd = -1;
                }
            }
        }

        /** SIGWINCH, handled once for every listener (sun.misc.Signal keeps one handler a signal). */
        @Override
        public synchronized AutoCloseable watchWindowSize(Runnable onResize) {
            if (!winchInstalled) {
                try {
                    sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> resizeListeners.forEach(Runnable::run));
                    winchInstalled = true;
                } catch (IllegalArgumentException refused) {
                    // The JVM keeps SIGWINCH (it never has so far): no resize is told.
                    return () -> { };
                }
            }
            resizeListeners.add(onResize);
            return () -> resizeListeners.remove(onResize);
        }

        private void check(int result) throws ErrnoException {
            if (result < 0) {
                throw lastError();
            }
        }
    }

    private final class Identity implements HostIdentity {
        /** uid_t getuid(void); */
        @Override
        public int uid() {
            return libc.getuid();
        }

        /** gid_t getgid(void); */
        @Override
        public int gid() {
            return libc.getgid();
        }

        /** uid_t geteuid(void); */
        @Override
        public int euid() {
            return libc.geteuid();
        }

        /** gid_t getegid(void); */
        @Override
        public int egid() {
            return libc.getegid();
        }

        /** int getgroups(int size, gid_t list[]); size 0 asks for the count. */
        @Override
        public int[] groups() {
            int n = libc.getgroups(0, null);
            if (n <= 0) {
                return new int[0];
            }
            int[] groups = new int[n];
            int got = libc.getgroups(n, groups);
            return Arrays.copyOf(groups, Math.max(got, 0));
        }

        /** int gethostname(char *name, size_t len); */
        @Override
        public String hostname() {
            byte[] name = new byte[256];
            if (libc.gethostname(name, name.length) != 0) {
                return "localhost";
            }
            return string(name, java.nio.charset.StandardCharsets.UTF_8);
        }

        /** int getpriority(int which, id_t who); PRIO_PROCESS 0: the calling thread, on Linux. */
        @Override
        public int nice() {
            return Math.clamp(libc.getpriority(0, 0), -20, 19);
        }

        /**
         * int getrlimit(int resource, struct rlimit *rlim); the resource by its Linux name, the host's
         * RLIM_INFINITY as Linux's. The JVM raises its own soft RLIMIT_NOFILE to the hard limit as
         * it starts (HotSpot's MaxFDLimit): the one it was started with is the property
         * {@value HostIdentity#START_NOFILE} where the launcher gave it.
         */
        @Override
        public HostRlimit rlimit(int resource) {
            String name = Resource.name(resource);
            RLIMIT host = name == null ? RLIMIT.__UNKNOWN_CONSTANT__ : RLIMIT.valueOf(name);
            if (!host.defined()) {
                return null;
            }
            Pointer rlim = Memory.allocate(runtime, 16);
            if (libc.getrlimit(host.intValue(), rlim) != 0) {
                return null;
            }
            long soft = linuxLimit(rlim.getLong(0));
            long hard = linuxLimit(rlim.getLong(8));
            if (resource == Resource.RLIMIT_NOFILE) {
                Long started = Long.getLong(START_NOFILE);
                if (started != null && started >= 0 && Long.compareUnsigned(started, hard) <= 0) {
                    soft = started;
                }
            }
            return new HostRlimit(soft, hard);
        }

        private static long linuxLimit(long host) {
            return host == RLIM.RLIM_INFINITY.longValue() ? Resource.RLIM_INFINITY : host;
        }
    }
}
