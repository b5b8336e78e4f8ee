package dev.jlx.core.kernel;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.cpu.UnicornEngine;
import dev.jlx.core.cpu.X86Reg;
import dev.jlx.core.fs.FileOps;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.host.HostMemory;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.loader.ElfException;
import dev.jlx.core.loader.ElfFile;
import dev.jlx.core.loader.ElfLoader;
import dev.jlx.core.loader.InitialStack;
import dev.jlx.core.mem.AddressSpace;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a program in a new process, as Linux's execve(2) into a fresh process: finds the file,
 * checks it, loads the ELF image, builds the stack and creates the main thread.
 */
public final class Exec {
    /** The PATH a shell searches when the environment has none (glibc's execvp default). */
    private static final String DEFAULT_PATH = "/bin:/usr/bin";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Exec() {}

    /** Why a program could not be started: execve's errno, and the status a shell reports (126, 127). */
    public static final class ExecFailure extends Exception {
        private final int shellStatus;
        private final Errno errno;

        ExecFailure(String message, int shellStatus, Errno errno) {
            super(message, null, false, false);
            this.shellStatus = shellStatus;
            this.errno = errno;
        }

        public int shellStatus() {
            return shellStatus;
        }

        public Errno errno() {
            return errno;
        }
    }

    /** A process whose main thread is ready to run. */
    public record Started(GuestProcess process, GuestThread thread, long entry) {
        /**
         * Runs the process to its end on the calling thread, then leaves it a zombie for its parent
         * (or reaped at once when jlx is its parent).
         */
        public void run() {
            process.kernel().register(process);
            process.runThread(thread, entry);
        }
    }

    /** A program loaded into a new address space that no engine runs yet: what execve installs. */
    public record Loaded(AddressSpace space, long entry, long sp, GuestProcess.ExecImage image, byte[] comm) {}

    /**
     * Finds {@code argv.get(0)} (a path, or a name searched in the guest's PATH), loads it and
     * prepares its main thread. {@code stdio} supplies descriptors 0, 1 and 2.
     */
    public static Started start(Kernel kernel, List<String> argv, List<String> envp, String cwd,
            GuestProcess.Credentials creds, StdioSetup stdio) throws ExecFailure {
        ByteString dir = ByteString.of(cwd);
        Vfs.Resolved path = find(kernel.vfs(), argv.get(0), envp, dir);
        Loaded loaded = load(kernel.host().memory(), kernel.vfs(), dir, path, ByteString.of(argv.get(0)), bytes(argv),
                bytes(envp), creds);
        GuestProcess process = new GuestProcess(kernel, dir, creds);
        UnicornEngine engine = null;
        try {
            engine = UnicornEngine.acquire();
            GuestThread thread = new GuestThread(process, engine, process.pid());
            // A child of jlx's starter would have its nice value.
            thread.setScheduling(Scheduling.DEFAULT.withNice(kernel.host().identity().nice()));
            int filter = kernel.host().identity().coredumpFilter();
            if (filter >= 0) {
                process.setCoredumpFilter(filter);
            }
            process.install(loaded, thread);
            stdio.install(process);
            return new Started(process, thread, loaded.entry());
        } catch (ErrnoException e) {
            loaded.space().destroy();
            if (engine != null) {
                engine.release();
            }
            throw new ExecFailure(argv.get(0) + ": " + e.errno().message(), 126, e.errno());
        }
    }

    /** binfmt_script's and binfmt_elf's nesting limit (BINPRM_MAX_RECURSION). */
    private static final int MAX_INTERPRETER_DEPTH = 4;

    /**
     * Loads the file {@code path} as execve does: an ELF executable (with its PT_INTERP
     * interpreter), or a "#!" script run by its interpreter with the script's path in argv.
     * {@code program} names it in messages. Nothing of the calling process changes.
     */
    public static Loaded load(HostMemory memory, Vfs vfs, ByteString cwd, Vfs.Resolved path, ByteString program,
            List<byte[]> argv, List<byte[]> envp, GuestProcess.Credentials creds) throws ExecFailure {
        return load(memory, vfs, cwd, path, program, argv, envp, creds, 0);
    }

    private static Loaded load(HostMemory memory, Vfs vfs, ByteString cwd, Vfs.Resolved path, ByteString program,
            List<byte[]> argv, List<byte[]> envp, GuestProcess.Credentials creds, int depth) throws ExecFailure {
        FileOps file;
        try {
            file = openExecutable(path, program);
        } catch (ErrnoException e) {
            throw failure(program, e.errno());
        }
        try (Arena arena = Arena.ofConfined()) {
            ElfFile.RangeReader reader = reader(file, arena);
            byte[] head = reader.read(0, 256);
            if (head.length >= 2 && head[0] == '#' && head[1] == '!') {
                closeQuietly(file);
                file = null;
                if (depth >= MAX_INTERPRETER_DEPTH) {
                    throw new ExecFailure(program + ": " + Errno.ELOOP.message(), 126, Errno.ELOOP);
                }
                return loadScript(memory, vfs, cwd, path, program, head, argv, envp, creds, depth);
            }
            return loadElf(memory, vfs, cwd, path, program, file, reader, head, argv, envp, creds);
        } catch (ElfException e) {
            throw new ExecFailure(program + ": cannot execute: " + e.getMessage(), 126, Errno.ENOEXEC);
        } finally {
            if (file != null) {
                closeQuietly(file);
            }
        }
    }

    /**
     * A "#!" script, as binfmt_script: the interpreter path and at most one argument (the rest of
     * the line, blanks trimmed) from the first line, then the script's own path, then argv[1...].
     */
    private static Loaded loadScript(HostMemory memory, Vfs vfs, ByteString cwd, Vfs.Resolved path, ByteString program,
            byte[] head, List<byte[]> argv, List<byte[]> envp, GuestProcess.Credentials creds, int depth) throws ExecFailure {
        int end = 2;
        while (end < head.length && head[end] != '\n') {
            end++;
        }
        // The bytes as they are; blanks (space, tab) end the interpreter's name and trim its argument.
        int start = 2;
        while (start < end && isBlank(head[start])) {
            start++;
        }
        while (end > start && isBlank(head[end - 1])) {
            end--;
        }
        if (start == end) {
            throw new ExecFailure(program + ": " + Errno.ENOEXEC.message(), 126, Errno.ENOEXEC);
        }
        int blank = start;
        while (blank < end && !isBlank(head[blank])) {
            blank++;
        }
        ByteString interpreter = ByteString.of(head, start, blank - start);
        int argStart = blank;
        while (argStart < end && isBlank(head[argStart])) {
            argStart++;
        }
        List<byte[]> args = new ArrayList<>();
        args.add(interpreter.toByteArray());
        if (argStart < end) {
            args.add(java.util.Arrays.copyOfRange(head, argStart, end));
        }
        args.add(program.toByteArray());
        args.addAll(argv.subList(Math.min(1, argv.size()), argv.size()));
        Vfs.Resolved ip;
        try {
            ip = vfs.resolve(cwd, interpreter, true);
        } catch (ErrnoException e) {
            throw failure(program, e.errno());
        }
        return load(memory, vfs, cwd, ip, program, args, envp, creds, depth + 1);
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    private static Loaded loadElf(HostMemory memory, Vfs vfs, ByteString cwd, Vfs.Resolved path, ByteString program,
            FileOps file, ElfFile.RangeReader reader, byte[] head, List<byte[]> argv, List<byte[]> envp,
            GuestProcess.Credentials creds) throws ExecFailure, ElfException {
        AddressSpace space = new AddressSpace(memory);
        FileOps interpreterFile = null;
        try (Arena arena = Arena.ofConfined()) {
            ElfFile elf = ElfFile.parse(java.util.Arrays.copyOf(head, Math.min(head.length, 64)), file.stat().size(),
                    reader);
            ElfLoader.Image image = ElfLoader.load(elf, reader, space, path.guestPath());
            long entry = image.entry();
            long interpreterBase = 0;
            if (elf.interpreter() != null) {
                // As Linux: the interpreter is looked up in the process's root, relative names from its cwd.
                Vfs.Resolved ip;
                try {
                    ip = vfs.resolve(cwd, elf.interpreter(), true);
                    interpreterFile = openExecutable(ip, program);
                } catch (ErrnoException e) {
                    throw e.errno() == Errno.ENOENT
                            ? new ExecFailure(program + ": cannot execute: required file not found", 127, Errno.ENOENT)
                            : failure(program, e.errno());
                }
                ElfFile.RangeReader ir = reader(interpreterFile, arena);
                ElfFile interpreter;
                try {
                    interpreter = ElfFile.parse(ir.read(0, 64), interpreterFile.stat().size(), ir);
                } catch (ElfException e) {
                    throw new ExecFailure(program + ": " + Errno.ELIBBAD.message(), 126, Errno.ELIBBAD);
                }
                if (interpreter.interpreter() != null) {
                    throw new ExecFailure(program + ": " + Errno.ELIBBAD.message(), 126, Errno.ELIBBAD);
                }
                ElfLoader.Image loaded = ElfLoader.load(interpreter, ir, space, ip.guestPath());
                entry = loaded.entry();
                interpreterBase = loaded.bias();
            }
            // A static PIE's break starts where Linux puts it, at ELF_ET_DYN_BASE; others' after the image.
            boolean staticPie = elf.type() == dev.jlx.abi.Elf.ET_DYN && elf.interpreter() == null;
            long brk = staticPie ? ElfLoader.ET_DYN_BASE : image.end();
            space.initBrk(brk);
            byte[] random = new byte[16];
            RANDOM.nextBytes(random);
            InitialStack.Layout stack = InitialStack.build(space, argv, envp, path.guestPath().toByteArray(), image, interpreterBase, new InitialStack.Credentials(creds.uid(),
                    creds.euid(), creds.gid(), creds.egid()), random);
            space.setMmapBase(0x7ffff7fff000L);
            // comm is the base name of the path execve was given, as Linux's kbasename(bprm->filename):
            // a script's own name, a symlink's name rather than its target's.
            ByteString base = program.substring(program.lastIndexOf((byte) '/') + 1);
            HostStat ps = file.stat();
            long[] files = interpreterFile == null ? new long[] {ps.dev(), ps.ino()}
                    : new long[] {ps.dev(), ps.ino(), interpreterFile.stat().dev(), interpreterFile.stat().ino()};
            return new Loaded(space, entry, stack.sp(), execImage(path.guestPath(), elf, image.bias(),
                    AddressSpace.pageUp(brk), stack, files), base.toByteArray());
        } catch (ElfException | ExecFailure e) {
            space.destroy();
            throw e;
        } catch (ErrnoException e) {
            space.destroy();
            throw failure(program, e.errno());
        } finally {
            if (interpreterFile != null) {
                closeQuietly(interpreterFile);
            }
        }
    }

    /** An errno from finding or opening the file, as a shell reports it. */
    private static ExecFailure failure(ByteString program, Errno errno) {
        return new ExecFailure(program + ": " + errno.message(), errno == Errno.ENOENT ? 127 : 126, errno);
    }

    /**
     * The image's bounds as Linux's load_elf_binary records them: code from the lowest executable
     * segment to the end of the file part of the highest one, data from the highest segment start to
     * the end of the file part of any segment.
     */
    private static GuestProcess.ExecImage execImage(ByteString exe, ElfFile elf, long bias, long startBrk,
            InitialStack.Layout stack, long[] files) {
        long startCode = Long.MAX_VALUE;
        long endCode = 0;
        long startData = 0;
        long endData = 0;
        for (ElfFile.Segment s : elf.segments()) {
            if (s.type() != dev.jlx.abi.Elf.PT_LOAD) {
                continue;
            }
            boolean code = (s.flags() & dev.jlx.abi.Elf.PF_X) != 0;
            long fileEnd = s.vaddr() + s.filesz();
            if (code) {
                startCode = Math.min(startCode, s.vaddr());
                endCode = Math.max(endCode, fileEnd);
            }
            startData = Math.max(startData, s.vaddr());
            endData = Math.max(endData, fileEnd);
        }
        if (startCode == Long.MAX_VALUE) {
            startCode = 0;
        }
        return new GuestProcess.ExecImage(exe, startCode + bias, endCode + bias, startData + bias, endData + bias,
                startBrk, stack.sp(), stack.argStart(), stack.envStart(), stack.envStart(), stack.envEnd(),
                stack.auxv(), files);
    }

    /** Opens a file to execute: a regular file the caller may execute (EACCES, EISDIR otherwise, as execve). */
    private static FileOps openExecutable(Vfs.Resolved path, ByteString program) throws ErrnoException, ExecFailure {
        HostStat st = path.fs().stat(path.path(), true);
        if ((st.mode() & FileMode.S_IFMT) == FileMode.S_IFDIR) {
            throw new ExecFailure(program + ": Is a directory", 126, Errno.EACCES);
        }
        checkExecutable(path);
        return path.fs().open(path.path(), OpenFlags.O_RDONLY, 0);
    }

    /**
     * execve's open check (do_open_execat): a regular file the caller may execute, on a mount a guest
     * did not mount noexec (path_noexec) that Landlock lets it read and execute, EACCES otherwise.
     */
    public static void checkExecutable(Vfs.Resolved path) throws ErrnoException {
        if ((path.fs().stat(path.path(), true).mode() & FileMode.S_IFMT) != FileMode.S_IFREG) {
            throw new ErrnoException(Errno.EACCES);
        }
        path.fs().access(path.path(), Fcntl.X_OK);
        long mountFlags = path.mount().flags();
        if (mountFlags != dev.jlx.core.fs.Mount.FROM_FS && (mountFlags & dev.jlx.abi.struct.Statfs.ST_NOEXEC) != 0) {
            throw new ErrnoException(Errno.EACCES);
        }
        // Then the open's own checks: Landlock's file_open of a file opened to execute.
        Landlock.checkOpen(path, OpenFlags.O_RDONLY, true);
    }

    private static ElfFile.RangeReader reader(FileOps file, Arena arena) {
        return new ElfFile.RangeReader() {
            @Override
            public byte[] read(long offset, int length) throws ElfException {
                MemorySegment buf = arena.allocate(Math.max(length, 1));
                long n = readInto(buf.asSlice(0, length), offset);
                return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            }

            @Override
            public long readInto(MemorySegment dst, long offset) throws ElfException {
                return readFully(file, dst, offset);
            }
        };
    }

    private static void closeQuietly(FileOps file) {
        try {
            file.close();
        } catch (ErrnoException ignored) {
            // Read-only file: nothing to lose on close.
        }
    }

    /** Installs the first process's descriptors 0, 1 and 2. */
    @FunctionalInterface
    public interface StdioSetup {
        void install(GuestProcess process) throws ErrnoException;
    }

    private static Vfs.Resolved find(Vfs vfs, String program, List<String> envp, ByteString cwd) throws ExecFailure {
        if (program.isEmpty()) {
            throw new ExecFailure(": " + Errno.ENOENT.message(), 127, Errno.ENOENT);
        }
        if (program.contains("/")) {
            try {
                return vfs.resolve(cwd, ByteString.of(program), true);
            } catch (ErrnoException e) {
                throw failure(ByteString.of(program), e.errno());
            }
        }
        String path = DEFAULT_PATH;
        for (String kv : envp) {
            if (kv.startsWith("PATH=")) {
                path = kv.substring(5);
            }
        }
        for (String dir : path.split(":", -1)) {
            String candidate = (dir.isEmpty() ? "." : dir) + "/" + program;
            try {
                Vfs.Resolved r = vfs.resolve(cwd, ByteString.of(candidate), true);
                HostStat st = r.fs().stat(r.path(), true);
                if ((st.mode() & FileMode.S_IFMT) == FileMode.S_IFREG) {
                    r.fs().access(r.path(), Fcntl.X_OK);
                    return r;
                }
            } catch (ErrnoException e) {
                // Not in this directory (or not executable there): a shell keeps searching.
            }
        }
        throw new ExecFailure(program + ": command not found", 127, Errno.ENOENT);
    }

    private static long readFully(FileOps file, MemorySegment dst, long offset) throws ElfException {
        long done = 0;
        try {
            while (done < dst.byteSize()) {
                int n = file.pread(dst.asSlice(done), offset + done);
                if (n <= 0) {
                    break;
                }
                done += n;
            }
        } catch (ErrnoException e) {
            throw new ElfException("read error (" + e.errno().message() + ")");
        }
        return done;
    }

    private static List<byte[]> bytes(List<String> strings) {
        return strings.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }
}
