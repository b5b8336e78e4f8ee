package dev.jlx.core.kernel;

import dev.jlx.abi.Elf;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.Mman;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Resource;
import dev.jlx.abi.struct.ElfPrpsinfo;
import dev.jlx.abi.struct.ElfPrstatus;
import dev.jlx.abi.struct.Siginfo;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.cpu.CpuEngine;
import dev.jlx.core.cpu.X86Reg;
import dev.jlx.core.fs.Fsnotify;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.mem.AddressSpace;
import dev.jlx.core.mem.GuestMemory;
import dev.jlx.core.mem.Vma;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A core file of a process killed by a signal whose default action dumps core, as Linux's
 * do_coredump (fs/coredump.c) and elf_core_dump (fs/binfmt_elf.c) write it: an ET_CORE ELF file
 * with one PT_NOTE (per thread NT_PRSTATUS and NT_PRFPREG, the dumping thread first, and after its
 * status NT_PRPSINFO, NT_SIGINFO, NT_AUXV and NT_FILE) and a PT_LOAD per mapping, whose bytes follow
 * /proc/PID/coredump_filter. Made when the signal is taken, with the dumping thread's registers;
 * each other thread adds its registers as it stops, and the last one writes the file, before the
 * process's memory and files go (Linux's coredump_wait has the other threads wait in exit_mm).
 */
public final class CoreDump {
    private static final long PAGE = AddressSpace.PAGE;
    /** binfmt_elf's min_coredump: a RLIMIT_CORE below a page writes nothing. */
    private static final long MIN_COREDUMP = PAGE;
    /** coredump_filter's bits (core(5)): which mappings' bytes go into the file. */
    private static final int ANON_PRIVATE = 1;
    private static final int ANON_SHARED = 2;
    private static final int MAPPED_PRIVATE = 4;
    private static final int MAPPED_SHARED = 8;
    private static final int ELF_HEADERS = 16;
    /** The filter a first process starts with (Linux's MMF_DUMP_FILTER_DEFAULT). */
    public static final int DEFAULT_FILTER = 0x33;
    /** The filter bits /proc/PID/coredump_filter keeps (MMF_DUMP_FILTER_BITS). */
    public static final int FILTER_MASK = 0x1ff;
    /** A core file's name, at most (CORENAME_MAX_SIZE, less its NUL). */
    public static final int PATTERN_MAX = 127;
    /** The kernel's segment selectors of a 64-bit user task. */
    private static final long USER_CS = 0x33;
    private static final long USER_DS = 0x2b;
    /** task->flags of the dumping task: PF_DUMPCORE and PF_RANDOMIZE. */
    private static final long PF_FLAGS = 0x200 | 0x400000;
    /** user_regs_struct's order as engine registers; -1 for those the notes fill in themselves. */
    private static final int[] USER_REGS = {X86Reg.R15, X86Reg.R14, X86Reg.R13, X86Reg.R12, X86Reg.RBP, X86Reg.RBX,
        X86Reg.R11, X86Reg.R10, X86Reg.R9, X86Reg.R8, X86Reg.RAX, X86Reg.RCX, X86Reg.RDX, X86Reg.RSI, X86Reg.RDI, -1,
        X86Reg.RIP, -1, X86Reg.EFLAGS, X86Reg.RSP, -1, X86Reg.FS_BASE, X86Reg.GS_BASE, -1, -1, -1, -1};
    private static final MemorySegment ZERO_PAGE = Arena.global().allocate(PAGE);

    /** A thread as it stopped: its registers (user_regs_struct), FXSAVE area, masks and CPU time. */
    private static final class ThreadState {
        final GuestThread thread;
        final long[] regs;
        final byte[] fxsave;
        final long sighold;
        long userNanos;
        long systemNanos;

        ThreadState(GuestThread thread, long[] regs, byte[] fxsave, long sighold) {
            this.thread = thread;
            this.regs = regs;
            this.fxsave = fxsave;
            this.sighold = sighold;
        }
    }

    private final Siginfo info;
    private final int dumperTid;
    private final Map<GuestThread, ThreadState> threads = new LinkedHashMap<>();

    /** The dump for {@code info}, taken by {@code dumper} (the calling thread, whose engine is still). */
    CoreDump(GuestThread dumper, Siginfo info) {
        this.info = info;
        this.dumperTid = dumper.tid();
        threads.put(dumper, capture(dumper));
    }

    /** {@code t}'s registers now, from its own (stopped) engine. */
    private static ThreadState capture(GuestThread t) {
        CpuEngine e = t.engine();
        long[] regs = new long[ElfPrstatus.NREGS];
        for (int i = 0; i < regs.length; i++) {
            regs[i] = USER_REGS[i] < 0 ? 0 : e.reg(USER_REGS[i]);
        }
        regs[ElfPrstatus.ORIG_RAX] = -1;
        long[] call = t.syscallExit();
        if (call != null && call[2] == regs[ElfPrstatus.RIP]) {
            // Stopped in a call's hook: the registers as the call returns (rip past the instruction).
            regs[ElfPrstatus.ORIG_RAX] = call[0];
            regs[ElfPrstatus.RAX] = call[1];
            regs[ElfPrstatus.RIP] = call[2] + 2;
            regs[ElfPrstatus.RCX] = call[2] + 2;
            regs[ElfPrstatus.R11] = call[3];
        }
        regs[ElfPrstatus.CS] = USER_CS;
        regs[ElfPrstatus.SS] = USER_DS;
        byte[] fx;
        try {
            fx = e.fxsave();
        } catch (RuntimeException unreadable) {
            fx = null;
        }
        return new ThreadState(t, regs, fx, t.signalMask());
    }

    /** {@code t} (on its own Java thread) has stopped for the dump, having used this CPU time. */
    synchronized void stopped(GuestThread t, long userNanos, long systemNanos) {
        ThreadState s = threads.computeIfAbsent(t, CoreDump::capture);
        s.userNanos = userNanos;
        s.systemNanos = systemNanos;
    }

    /**
     * Writes the core file of {@code p}, whose threads have all stopped, where and when Linux would:
     * RLIMIT_CORE of at least a page, a dumpable process, core_pattern's name (a pipe runs no program
     * here) relative to the working directory, any file there unlinked, then created with O_EXCL and
     * O_NOFOLLOW: a regular file of one link owned by the fsuid with mode 0600 (after the umask). Returns whether a
     * core was dumped (WCOREDUMP): once the file is ready, also when RLIMIT_CORE or a write error
     * cut it short, as Linux's has_dumped.
     */
    synchronized boolean write(GuestProcess p) {
        // The process's end interrupted this thread's Java thread, which would close a host channel
        // (an interruptible NIO channel) under the first write; nothing interrupts it any more.
        boolean interrupted = Thread.interrupted();
        try {
            return writeFile(p);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean writeFile(GuestProcess p) {
        long limit = p.rlimits().soft(Resource.RLIMIT_CORE);
        if (Long.compareUnsigned(limit, MIN_COREDUMP) < 0 || p.dumpable() == 0) {
            return false;
        }
        String pattern = p.kernel().corePattern();
        if (pattern.startsWith("|")) {
            Kernel.log().log(System.Logger.Level.WARNING, "pid " + p.pid() + ": core_pattern pipes to a program, which"
                    + " jlx does not run; no core written");
            return false;
        }
        ByteString name = name(p, pattern);
        if (name.isEmpty()) {
            return false;
        }
        GuestProcess.FsView view = p.fsView();
        try {
            // A file already there is unlinked and the core made anew (O_EXCL), so that no link or
            // file of another's is written through; what else is in the way fails the open below.
            Vfs.Resolved r = view.vfs().resolve(view.cwd(), name, false).writable();
            Fsnotify.Target before = Fsnotify.target(r);
            r.fs().unlink(r.path());
            Fsnotify.removed(before);
        } catch (ErrnoException absent) {
            // Nothing to unlink, or something the open fails on.
        }
        OpenFile f;
        try {
            f = view.vfs().open(view.cwd(), name, OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_WRONLY
                    | OpenFlags.O_NOFOLLOW | OpenFlags.O_LARGEFILE, 0600 & ~p.umask());
        } catch (ErrnoException e) {
            Kernel.log().log(System.Logger.Level.INFO, "pid " + p.pid() + ": no core file " + name + ": " + e.errno());
            return false;
        }
        try {
            HostStat st = f.stat();
            if ((st.mode() & FileMode.S_IFMT) != FileMode.S_IFREG || st.nlink() > 1
                    || st.uid() != p.credentials().fsuid() || (st.mode() & 0677) != 0600) {
                return false;
            }
        } catch (ErrnoException e) {
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            new Output(f, limit, arena.allocate(64 * 1024)).dump(p);
        } catch (ErrnoException e) {
            Kernel.log().log(System.Logger.Level.INFO, "pid " + p.pid() + ": core file " + name + " cut short: "
                    + e.errno());
        } finally {
            try {
                f.close();
            } catch (ErrnoException ignored) {
                // The file is written; a close error changes nothing of the dump.
            }
        }
        return true;
    }

    /**
     * core_pattern expanded as format_corename does: %% %p %P %i %I %u %g %d %s %t %h %e %E %c (an
     * unknown specifier and a trailing % vanish; a '/' in a host or command name becomes '!'), and
     * ".PID" appended when core_uses_pid is set and the pattern has no %p.
     */
    ByteString name(GuestProcess p, String pattern) {
        byte[] pat = pattern.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean pidInPattern = false;
        for (int i = 0; i < pat.length; i++) {
            if (pat[i] != '%') {
                out.write(pat[i]);
                continue;
            }
            if (++i == pat.length) {
                break;
            }
            GuestProcess.Credentials c = p.credentials();
            switch (pat[i]) {
                case '%' -> out.write('%');
                case 'p', 'P' -> {
                    pidInPattern |= pat[i] == 'p';
                    ascii(out, Integer.toString(p.pid()));
                }
                case 'i', 'I' -> ascii(out, Integer.toString(dumperTid));
                case 'u' -> ascii(out, Integer.toUnsignedString(c.uid()));
                case 'g' -> ascii(out, Integer.toUnsignedString(c.gid()));
                case 'd' -> ascii(out, Integer.toString(p.dumpable()));
                case 's' -> ascii(out, Integer.toString(info.signo()));
                case 't' -> ascii(out, Long.toString(System.currentTimeMillis() / 1000));
                case 'h' -> escaped(out, p.namespaces().uts().nodename().getBytes(StandardCharsets.UTF_8));
                case 'e' -> escaped(out, p.comm());
                case 'E' -> escaped(out, p.image() == null ? new byte[0] : p.image().exe().toByteArray());
                case 'c' -> ascii(out, Long.toUnsignedString(p.rlimits().soft(Resource.RLIMIT_CORE)));
                default -> { }
            }
        }
        if (!pidInPattern && p.kernel().coreUsesPid() != 0) {
            ascii(out, "." + p.pid());
        }
        return ByteString.of(out.toByteArray());
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** cn_esc_printf: a '/' would make a directory of the name; a lone "." or ".." starts with '!'. */
    private static void escaped(ByteArrayOutputStream out, byte[] s) {
        byte[] b = s.clone();
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '/') {
                b[i] = '!';
            }
        }
        if (b.length == 1 && b[0] == '.' || b.length == 2 && b[0] == '.' && b[1] == '.') {
            b[0] = '!';
        }
        out.writeBytes(b);
    }

    /** How many bytes of {@code v} the file holds under {@code filter}, as vma_dump_size decides. */
    private static long dumpSize(Vma v, int filter, GuestMemory mem) {
        long size = v.end() - v.start();
        if (v.prot() == Mman.PROT_NONE) {
            return 0;
        }
        ByteString name = v.name();
        boolean file = name != null && !name.startsWith((byte) '[');
        boolean shared = (v.flags() & Mman.MAP_TYPE) != Mman.MAP_PRIVATE;
        if (shared) {
            return (filter & (file ? MAPPED_SHARED : ANON_SHARED)) != 0 ? size : 0;
        }
        // Linux dumps a private file mapping whole when it has pages of its own (anon_vma); jlx keeps no
        // record of which were written, so every private file mapping but code counts as written.
        if ((!file || (v.prot() & Mman.PROT_EXEC) == 0 && v.fileOffset() != 0) && (filter & ANON_PRIVATE) != 0) {
            return size;
        }
        if (!file) {
            return 0;
        }
        if ((filter & MAPPED_PRIVATE) != 0) {
            return size;
        }
        if ((filter & ELF_HEADERS) != 0 && v.fileOffset() == 0 && (v.prot() & Mman.PROT_READ) != 0) {
            try {
                byte[] magic = mem.read(v.start(), Elf.SELFMAG);
                if (magic[0] == Elf.ELFMAG0 && magic[1] == Elf.ELFMAG1 && magic[2] == Elf.ELFMAG2
                        && magic[3] == Elf.ELFMAG3) {
                    return PAGE;
                }
            } catch (ErrnoException unreadable) {
                return 0;
            }
        }
        return 0;
    }

    /** The file's bytes in order, as Linux's dump_emit and dump_skip write them, up to RLIMIT_CORE. */
    private final class Output {
        private final OpenFile file;
        private final long limit;
        private final MemorySegment buffer;
        private long pos;
        private long written;
        private long skip;

        Output(OpenFile file, long limit, MemorySegment buffer) {
            this.file = file;
            this.limit = limit;
            this.buffer = buffer;
        }

        void dump(GuestProcess p) throws ErrnoException {
            GuestMemory mem = p.space().memory();
            List<Vma> vmas = new ArrayList<>(p.space().vmas());
            int filter = p.coredumpFilter();
            long[] sizes = new long[vmas.size()];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = dumpSize(vmas.get(i), filter, mem);
            }
            byte[] notes = notes(p, vmas);
            int phnum = vmas.size() + 1;
            long offset = Elf.EHDR_SIZE + (long) phnum * Elf.PHDR_SIZE;
            long dataOffset = AddressSpace.pageUp(offset + notes.length);
            ByteBuffer h = ByteBuffer.allocate((int) offset).order(ByteOrder.LITTLE_ENDIAN);
            h.put(Elf.E_IDENT, new byte[] {Elf.ELFMAG0, Elf.ELFMAG1, Elf.ELFMAG2, Elf.ELFMAG3, Elf.ELFCLASS64,
                Elf.ELFDATA2LSB, Elf.EV_CURRENT, Elf.ELFOSABI_NONE});
            h.putShort(Elf.E_TYPE, (short) Elf.ET_CORE).putShort(Elf.E_MACHINE, (short) Elf.EM_X86_64)
                    .putInt(Elf.E_VERSION, Elf.EV_CURRENT).putLong(Elf.E_PHOFF, Elf.EHDR_SIZE)
                    .putShort(Elf.E_EHSIZE, (short) Elf.EHDR_SIZE).putShort(Elf.E_PHENTSIZE, (short) Elf.PHDR_SIZE)
                    .putShort(Elf.E_PHNUM, (short) phnum);
            int ph = Elf.EHDR_SIZE;
            h.putInt(ph + Elf.P_TYPE, Elf.PT_NOTE).putLong(ph + Elf.P_OFFSET, offset)
                    .putLong(ph + Elf.P_FILESZ, notes.length).putLong(ph + Elf.P_ALIGN, 4);
            long data = dataOffset;
            for (int i = 0; i < vmas.size(); i++) {
                Vma v = vmas.get(i);
                ph += Elf.PHDR_SIZE;
                int flags = ((v.prot() & Mman.PROT_READ) != 0 ? Elf.PF_R : 0)
                        | ((v.prot() & Mman.PROT_WRITE) != 0 ? Elf.PF_W : 0)
                        | ((v.prot() & Mman.PROT_EXEC) != 0 ? Elf.PF_X : 0);
                h.putInt(ph + Elf.P_TYPE, Elf.PT_LOAD).putInt(ph + Elf.P_FLAGS, flags).putLong(ph + Elf.P_OFFSET, data)
                        .putLong(ph + Elf.P_VADDR, v.start()).putLong(ph + Elf.P_FILESZ, sizes[i])
                        .putLong(ph + Elf.P_MEMSZ, v.end() - v.start()).putLong(ph + Elf.P_ALIGN, PAGE);
                data += sizes[i];
            }
            if (!emit(h.array()) || !emit(notes)) {
                return;
            }
            skip = dataOffset - pos;
            for (int i = 0; i < vmas.size(); i++) {
                long start = vmas.get(i).start();
                for (long a = start; a < start + sizes[i]; a += PAGE) {
                    MemorySegment page;
                    try {
                        page = mem.slice(a, PAGE, false);
                    } catch (ErrnoException gone) {
                        page = ZERO_PAGE;
                    }
                    // A page of zeros is a hole, as Linux skips the pages a process never touched.
                    if (page.byteSize() < PAGE || page.mismatch(ZERO_PAGE) == -1) {
                        skip += PAGE;
                    } else if (!emit(page)) {
                        return;
                    }
                }
            }
            // The file reaches its full length though its end is a hole, as do_coredump's last byte.
            if (skip > 0) {
                skip--;
                emit(new byte[1]);
            }
        }

        private boolean emit(byte[] bytes) throws ErrnoException {
            if (Long.compareUnsigned(written + bytes.length, limit) > 0) {
                return false;
            }
            for (int done = 0; done < bytes.length; ) {
                int n = (int) Math.min(buffer.byteSize(), bytes.length - done);
                MemorySegment.copy(bytes, done, buffer, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, n);
                put(buffer.asSlice(0, n));
                done += n;
            }
            return true;
        }

        private boolean emit(MemorySegment page) throws ErrnoException {
            if (Long.compareUnsigned(written + page.byteSize(), limit) > 0) {
                return false;
            }
            MemorySegment.copy(page, 0, buffer, 0, page.byteSize());
            put(buffer.asSlice(0, page.byteSize()));
            return true;
        }

        private void put(MemorySegment bytes) throws ErrnoException {
            pos += skip;
            skip = 0;
            long done = 0;
            while (done < bytes.byteSize()) {
                int n = file.pwrite(bytes.asSlice(done), pos);
                if (n <= 0) {
                    throw new ErrnoException(dev.jlx.abi.Errno.EIO);
                }
                done += n;
                pos += n;
                written += n;
            }
        }
    }

    /** The notes, in write_note_info's order. */
    private byte[] notes(GuestProcess p, List<Vma> vmas) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean first = true;
        for (ThreadState s : threads.values()) {
            GuestThread t = s.thread;
            ByteBuffer st = buffer(ElfPrstatus.SIZE);
            new ElfPrstatus(info.signo(), t.pendingSignals(), s.sighold,
                    t.tid(), p.ppid(), p.pgid(), p.sid(), s.userNanos / 1000, s.systemNanos / 1000, s.regs,
                    s.fxsave != null).writeTo(st, 0);
            note(out, Elf.NT_PRSTATUS, st.array());
            if (first) {
                note(out, Elf.NT_PRPSINFO, psinfo(p));
                ByteBuffer si = buffer(Siginfo.SIZE);
                info.writeTo(si, 0);
                note(out, Elf.NT_SIGINFO, si.array());
                note(out, Elf.NT_AUXV, p.image() == null ? new byte[0] : p.image().auxv());
                note(out, Elf.NT_FILE, files(vmas));
            }
            if (s.fxsave != null) {
                note(out, Elf.NT_PRFPREG, s.fxsave);
            }
            first = false;
        }
        return out.toByteArray();
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** NT_PRPSINFO: fill_psinfo's answers for the dumping (running) process. */
    private static byte[] psinfo(GuestProcess p) {
        byte[] args = new byte[0];
        GuestProcess.ExecImage image = p.image();
        if (image != null) {
            int n = (int) Math.min(image.argEnd() - image.argStart(), ElfPrpsinfo.ELF_PRARGSZ - 1);
            try {
                args = p.space().memory().read(image.argStart(), Math.max(0, n));
            } catch (ErrnoException unreadable) {
                args = new byte[0];
            }
            for (int i = 0; i < args.length; i++) {
                if (args[i] == 0) {
                    args[i] = ' ';
                }
            }
        }
        GuestProcess.Credentials c = p.credentials();
        ByteBuffer b = buffer(ElfPrpsinfo.SIZE);
        new ElfPrpsinfo(0, (byte) 'R', 0, PF_FLAGS, c.uid(), c.gid(), p.pid(), p.ppid(), p.pgid(), p.sid(), p.comm(),
                args).writeTo(b, 0);
        return b.array();
    }

    /** NT_FILE: count, page size, each file mapping's start, end and page offset, then their names. */
    private static byte[] files(List<Vma> vmas) {
        List<Vma> mapped = new ArrayList<>();
        for (Vma v : vmas) {
            if (v.name() != null && !v.name().startsWith((byte) '[')) {
                mapped.add(v);
            }
        }
        ByteArrayOutputStream names = new ByteArrayOutputStream();
        ByteBuffer b = buffer(16 + 24 * mapped.size());
        b.putLong(0, mapped.size()).putLong(8, PAGE);
        for (int i = 0; i < mapped.size(); i++) {
            Vma v = mapped.get(i);
            b.putLong(16 + 24 * i, v.start()).putLong(24 + 24 * i, v.end()).putLong(32 + 24 * i, v.fileOffset() / PAGE);
            names.writeBytes(v.name().toCString());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(b.array());
        out.writeBytes(names.toByteArray());
        return out.toByteArray();
    }

    /** One note named "CORE": header, name and description, each padded to 4 bytes. */
    private static void note(ByteArrayOutputStream out, int type, byte[] desc) {
        byte[] name = "CORE\0".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer h = buffer(Elf.NHDR_SIZE);
        h.putInt(0, name.length).putInt(4, desc.length).putInt(8, type);
        out.writeBytes(h.array());
        out.writeBytes(name);
        out.writeBytes(new byte[-name.length & 3]);
        out.writeBytes(desc);
        out.writeBytes(new byte[-desc.length & 3]);
    }
}
