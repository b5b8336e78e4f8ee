package dev.jlx.core.kernel;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.cpu.UnicornEngine;
import dev.jlx.core.cpu.X86Reg;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.host.HostFile;
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

    /** Why a program could not be started, with the status a shell reports (126, 127). */
    public static final class ExecFailure extends Exception {
        private final int shellStatus;

        ExecFailure(String message, int shellStatus) {
            super(message, null, false, false);
            this.shellStatus = shellStatus;
        }

        public int shellStatus() {
            return shellStatus;
        }
    }

    /** A process whose main thread is ready to run. */
    public record Started(GuestProcess process, GuestThread thread, long entry) {
        /** Runs the process to its end on the calling thread. */
        public void run() {
            process.kernel().register(process);
            process.enter(thread);
            try {
                thread.run(entry);
            } finally {
                process.fds().closeAll();
                process.kernel().recordLocks().releaseAll(process);
                process.leave(thread);
                process.kernel().unregister(process);
                process.space().destroy();
                thread.engine().release();
            }
        }
    }

    /**
     * Finds {@code argv.get(0)} (a path, or a name searched in the guest's PATH), loads it and
     * prepares its main thread. {@code stdio} supplies descriptors 0, 1 and 2.
     */
    public static Started start(Kernel kernel, List<String> argv, List<String> envp, String cwd,
            GuestProcess.Credentials creds, StdioSetup stdio) throws ExecFailure {
        String program = argv.get(0);
        Vfs vfs = kernel.vfs();
        Vfs.Resolved path = find(vfs, program, envp, cwd);
        HostFile file;
        try {
            file = openExecutable(path, program);
        } catch (ErrnoException e) {
            throw new ExecFailure(program + ": " + e.errno().message(), e.errno() == Errno.ENOENT ? 127 : 126);
        }
        HostFile interpreterFile = null;
        GuestProcess process = new GuestProcess(kernel, 1, cwd, creds);
        AddressSpace space = new AddressSpace();
        process.setSpace(space);
        UnicornEngine engine = null;
        try (Arena arena = Arena.ofConfined()) {
            ElfFile.RangeReader reader = reader(file, arena);
            ElfFile elf = ElfFile.parse(reader.read(0, 64), file.stat().size(), reader);
            engine = UnicornEngine.acquire();
            space.attach(engine);
            ElfLoader.Image image = ElfLoader.load(elf, reader, space, path.guestPath());
            long entry = image.entry();
            long interpreterBase = 0;
            if (elf.interpreter() != null) {
                // As Linux: the interpreter is looked up in the process's root, relative names from its cwd.
                Vfs.Resolved ip;
                try {
                    ip = vfs.resolve(cwd, elf.interpreter().getBytes(StandardCharsets.UTF_8), true);
                    interpreterFile = openExecutable(ip, program);
                } catch (ErrnoException e) {
                    throw e.errno() == Errno.ENOENT
                            ? new ExecFailure(program + ": cannot execute: required file not found", 127)
                            : new ExecFailure(program + ": " + e.errno().message(), 126);
                }
                ElfFile.RangeReader ir = reader(interpreterFile, arena);
                ElfFile interpreter;
                try {
                    interpreter = ElfFile.parse(ir.read(0, 64), interpreterFile.stat().size(), ir);
                } catch (ElfException e) {
                    throw new ExecFailure(program + ": " + Errno.ELIBBAD.message(), 126);
                }
                if (interpreter.interpreter() != null) {
                    throw new ExecFailure(program + ": " + Errno.ELIBBAD.message(), 126);
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
            InitialStack.Layout stack = InitialStack.build(space, bytes(argv), bytes(envp), path.guestPath().getBytes(
                    StandardCharsets.UTF_8), image, interpreterBase, new InitialStack.Credentials(creds.uid(),
                    creds.euid(), creds.gid(), creds.egid()), random);
            process.setImage(execImage(path.guestPath(), elf, image.bias(), AddressSpace.pageUp(brk), stack));
            space.setMmapBase(0x7ffff7fff000L);
            engine.reg(X86Reg.RSP, stack.sp());
            GuestThread thread = new GuestThread(process, engine, process.pid());
            process.threads().add(thread);
            String base = path.guestPath().substring(path.guestPath().lastIndexOf('/') + 1);
            process.setComm(base.getBytes(StandardCharsets.UTF_8));
            stdio.install(process);
            return new Started(process, thread, entry);
        } catch (ElfException | ErrnoException | ExecFailure e) {
            space.destroy();
            if (engine != null) {
                engine.release();
            }
            throw switch (e) {
                case ElfException x -> new ExecFailure(program + ": cannot execute: " + x.getMessage(), 126);
                case ErrnoException x -> new ExecFailure(program + ": " + x.errno().message(), 126);
                default -> (ExecFailure) e;
            };
        } finally {
            closeQuietly(file);
            if (interpreterFile != null) {
                closeQuietly(interpreterFile);
            }
        }
    }

    /**
     * The image's bounds as Linux's load_elf_binary records them: code from the lowest executable
     * segment to the end of the file part of the highest one, data from the highest segment start to
     * the end of the file part of any segment.
     */
    private static GuestProcess.ExecImage execImage(String exe, ElfFile elf, long bias, long startBrk,
            InitialStack.Layout stack) {
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
                stack.auxv());
    }

    /** Opens a file to execute: a regular file the caller may execute (EACCES, EISDIR otherwise, as execve). */
    private static HostFile openExecutable(Vfs.Resolved path, String program) throws ErrnoException, ExecFailure {
        HostStat st = path.fs().stat(path.path(), true);
        if ((st.mode() & FileMode.S_IFMT) == FileMode.S_IFDIR) {
            throw new ExecFailure(program + ": Is a directory", 126);
        }
        if ((st.mode() & FileMode.S_IFMT) != FileMode.S_IFREG) {
            throw new ErrnoException(Errno.EACCES);
        }
        path.fs().access(path.path(), Fcntl.X_OK);
        return path.fs().open(path.path(), OpenFlags.O_RDONLY, 0);
    }

    private static ElfFile.RangeReader reader(HostFile file, Arena arena) {
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

    private static void closeQuietly(HostFile file) {
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

    private static Vfs.Resolved find(Vfs vfs, String program, List<String> envp, String cwd) throws ExecFailure {
        if (program.isEmpty()) {
            throw new ExecFailure(": " + Errno.ENOENT.message(), 127);
        }
        if (program.contains("/")) {
            try {
                return vfs.resolve(cwd, program.getBytes(StandardCharsets.UTF_8), true);
            } catch (ErrnoException e) {
                throw new ExecFailure(program + ": " + e.errno().message(), e.errno() == Errno.ENOENT ? 127 : 126);
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
                Vfs.Resolved r = vfs.resolve(cwd, candidate.getBytes(StandardCharsets.UTF_8), true);
                HostStat st = r.fs().stat(r.path(), true);
                if ((st.mode() & FileMode.S_IFMT) == FileMode.S_IFREG) {
                    r.fs().access(r.path(), Fcntl.X_OK);
                    return r;
                }
            } catch (ErrnoException e) {
                // Not in this directory (or not executable there): a shell keeps searching.
            }
        }
        throw new ExecFailure(program + ": command not found", 127);
    }

    private static long readFully(HostFile file, MemorySegment dst, long offset) throws ElfException {
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
