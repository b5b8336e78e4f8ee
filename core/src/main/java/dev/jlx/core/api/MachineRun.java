package dev.jlx.core.api;

import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.HostOs;
import dev.jlx.core.cpu.EngineException;
import dev.jlx.core.cpu.UnicornEngine;
import dev.jlx.core.fs.Devfs;
import dev.jlx.core.fs.FileSystem;
import dev.jlx.core.fs.HostDirectoryFs;
import dev.jlx.core.fs.HostFileOps;
import dev.jlx.core.fs.VfsFile;
import dev.jlx.core.fs.Mount;
import dev.jlx.core.fs.OpenFile;
import dev.jlx.core.fs.Procfs;
import dev.jlx.core.fs.StreamFile;
import dev.jlx.core.fs.Sysfs;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostBackends;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.HostIdentity;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import dev.jlx.core.kernel.Exec;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.Kernel;
import dev.jlx.abi.FileMode;
import dev.jlx.abi.OpenFlags;
import dev.jlx.abi.Signals;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/** Starts one guest process tree for a {@link LinuxMachine} and waits for it. */
final class MachineRun {
    private MachineRun() {}

    static ExitStatus run(LinuxMachine machine, LinuxMachine.Config config, List<String> argv) {
        UnicornEngine.preloadInBackground();
        HostBackend host;
        try {
            host = HostBackends.get(config.hostBackend());
        } catch (IllegalStateException e) {
            throw new JlxException("jlx: " + e.getMessage(), 1);
        }
        if (!java.nio.file.Files.isDirectory(config.root())) {
            throw new JlxException("jlx: no guest root at " + config.root() + " (make one with `jlx rootfs create "
                    + config.root() + " --tar FILE`, or name one with --root)", 1);
        }
        HostIdentity id = host.identity();
        List<Mount> mounts = new ArrayList<>();
        for (LinuxMachine.MountSpec m : config.mounts()) {
            FileSystem fs = m.hostDirectory() == null ? machine.tmpfs(m.guestPath(), id.euid(), id.egid(), host.files())
                    : new HostDirectoryFs(host.files(), host.console(), host.files().hostPath(m.hostDirectory()));
            mounts.add(new Mount(m.guestPath(), fs, m.readOnly()));
        }
        if (!(HostOs.running().linux() && hostSlash(config) && host.files().capabilities().contains(HostFiles.Capability.DEVICE_NODES))
                && config.mounts().stream().noneMatch(m -> m.guestPath().equals("/dev"))) {
            // A guest root of its own gets the /dev every Linux system has; a Linux host's / keeps the host's
            // where the backend opens the host's devices.
            mounts.add(new Mount("/dev", new Devfs(host.files(), host.console()), false));
            mounts.add(new Mount("/dev/shm", machine.tmpfs("/dev/shm", id.euid(), id.egid(), host.files()), false));
        }
        if (config.mounts().stream().noneMatch(m -> m.guestPath().equals("/dev") || m.guestPath().equals("/dev/pts"))) {
            // The guests' pseudo-terminals live in the JVM, also over a host's /dev (whose ptmx opens here).
            mounts.add(new Mount("/dev/pts", new dev.jlx.core.tty.Devpts(hostPtys(config, host)), false));
        }
        FileSystem root = mounts.stream().filter(m -> m.guestPath().equals(ByteString.ROOT)).findFirst().orElseThrow().fs();
        mountWhereRootHasDirectory(mounts, root, "/proc", Procfs::new);
        mountWhereRootHasDirectory(mounts, root, "/sys", Sysfs::new);
        Vfs vfs = new Vfs(mounts);
        Kernel kernel = new Kernel(host, vfs, config.trace(), machine.ipc(host.memory()));
        kernel.unixSockets().allowHostSockets(config.hostUnixSockets());
        List<String> envp = new ArrayList<>();
        for (Map.Entry<String, String> e : config.env().entrySet()) {
            envp.add(e.getKey() + "=" + e.getValue());
        }
        GuestProcess.Credentials creds = new GuestProcess.Credentials(id.uid(), id.gid(), id.euid(), id.egid(),
                id.groups());
        Exec.Started started;
        try {
            started = Exec.start(kernel, argv, envp, initialCwd(config), creds, p -> installStdio(p, config, host));
        } catch (Exec.ExecFailure e) {
            throw new JlxException("jlx: " + e.getMessage(), e.shellStatus());
        } catch (EngineException e) {
            throw new JlxException("jlx: " + e.getMessage(), 1);
        }
        machine.started(kernel);
        // The host's terminal, when a standard stream may be it: its resizes reach the foreground group.
        AutoCloseable resizes = config.stdin() == null || config.stdout() == null || config.stderr() == null
                ? host.console().watchWindowSize(kernel.hostTerminal()::resized) : () -> { };
        startFront(kernel, config, host);
        try {
            return runToEnd(started, config);
        } finally {
            machine.ended(kernel);
            kernel.hostTerminal().closeFront();
            kernel.hostTerminal().restore();
            try {
                resizes.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * jlx's own procfs or sysfs at {@code guestPath} when the guest root has that directory and no
     * mount covers it: a system's root has them, a chroot that does not gets none, as Linux.
     */
    private static void mountWhereRootHasDirectory(List<Mount> mounts, FileSystem root, String guestPath,
            BiFunction<HostStat, HostStatfs, FileSystem> fs) {
        if (mounts.stream().anyMatch(m -> m.guestPath().equals(ByteString.of(guestPath)))) {
            return;
        }
        try {
            HostStat dir = root.stat(ByteString.of(guestPath), true);
            if ((dir.mode() & FileMode.S_IFMT) == FileMode.S_IFDIR) {
                mounts.add(new Mount(guestPath, fs.apply(dir, root.statfs(ByteString.of(guestPath))), false));
            }
        } catch (ErrnoException absent) {
            // No such directory in the root: nothing to mount on.
        }
    }

    /** The guest cwd: as configured, else the host's when the root is the host's "/", else "/". */
    private static String initialCwd(LinuxMachine.Config config) {
        if (config.cwd() != null) {
            return config.cwd();
        }
        if (hostSlash(config)) {
            return Path.of("").toAbsolutePath().toString();
        }
        return "/";
    }

    /**
     * The host ptys among jlx's standard streams (jlx's terminal, when the host says it is a pty: a
     * Linux host's /dev/pts/N, the Windows console's 136:0), which devpts shows at their numbers
     * with the stream's own metadata, so that ttyname finds them: opened, a Linux host's own /dev
     * gives its node, any other host its /dev/tty (jlx's terminal).
     */
    private static Map<Integer, dev.jlx.core.tty.Devpts.HostNode> hostPtys(LinuxMachine.Config config,
            HostBackend host) {
        Map<Integer, dev.jlx.core.tty.Devpts.HostNode> nodes = new java.util.HashMap<>();
        boolean hostDev = HostOs.running().linux() && hostSlash(config)
                && host.files().capabilities().contains(HostFiles.Capability.DEVICE_NODES);
        Object[] streams = {config.stdin(), config.stdout(), config.stderr()};
        for (int fd = 0; fd < 3; fd++) {
            if (streams[fd] != null) {
                continue;
            }
            dev.jlx.core.host.HostFile stream = host.files().standardStream(fd);
            try {
                HostStat st = stream.stat();
                long major = ((st.rdev() >>> 8) & 0xfff) | ((st.rdev() >>> 32) & ~0xfffL);
                long minor = (st.rdev() & 0xff) | ((st.rdev() >>> 12) & ~0xffL);
                if ((st.mode() & FileMode.S_IFMT) != FileMode.S_IFCHR || major < 136 || major > 143) {
                    continue;
                }
                int number = (int) ((major - 136) * 256 + minor);
                ByteString path = ByteString.of(hostDev ? "/dev/pts/" + number : "/dev/tty");
                nodes.putIfAbsent(number, new dev.jlx.core.tty.Devpts.HostNode() {
                    @Override
                    public HostStat stat() throws ErrnoException {
                        return stream.stat();
                    }

                    @Override
                    public OpenFile open(int flags) throws ErrnoException {
                        HostFileOps ops = new HostFileOps(host.files().open(path,
                                flags & ~(OpenFlags.O_CREAT | OpenFlags.O_TRUNC), 0), host.console());
                        return new VfsFile(ops, flags & ~(OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_NOCTTY
                                | OpenFlags.O_TRUNC), null);
                    }
                });
            } catch (ErrnoException unreadable) {
                // Not a host pty, as far as jlx can tell.
            }
        }
        return nodes;
    }

    /**
     * jlx's terminal becomes the front of a pty of jlx's when jlx's standard input is its controlling
     * terminal and its standard output that terminal too (HostTerminal.startFront); otherwise guests
     * use the host terminal directly: in a pipeline (`jlx run -- top -b | head`) other programs write
     * to the terminal too, which must not be raw for them.
     */
    private static void startFront(Kernel kernel, LinuxMachine.Config config, HostBackend host) {
        if (config.stdin() != null || config.stdout() != null) {
            return;
        }
        dev.jlx.core.host.HostFile in = host.files().standardStream(0);
        dev.jlx.core.host.HostFile out = host.files().standardStream(1);
        try {
            if (in.isTerminal() && out.isTerminal() && out.stat().rdev() == in.stat().rdev()) {
                kernel.hostTerminal().startFront(host.console(), in, out);
            }
        } catch (ErrnoException unreadable) {
            // Not a terminal jlx can tell: guests use it as it is.
        }
    }

    /** Whether the guest root is a POSIX host's own {@code /}, whose paths are the guest's too. */
    private static boolean hostSlash(LinuxMachine.Config config) {
        return config.root().toString().equals("/");
    }

    private static void installStdio(GuestProcess p, LinuxMachine.Config config, HostBackend host)
            throws ErrnoException {
        OpenFile in = config.stdin() != null ? StreamFile.reading(config.stdin(), 1)
                : new VfsFile(new HostFileOps(host.files().standardStream(0), host.console()), OpenFlags.O_RDWR, null);
        OpenFile out = config.stdout() != null ? StreamFile.writing(config.stdout(), 2)
                : new VfsFile(new HostFileOps(host.files().standardStream(1), host.console()), OpenFlags.O_RDWR, null);
        OpenFile err = config.stderr() != null ? StreamFile.writing(config.stderr(), 3)
                : new VfsFile(new HostFileOps(host.files().standardStream(2), host.console()), OpenFlags.O_RDWR, null);
        p.fds().installAt(0, in, false);
        p.fds().installAt(1, out, false);
        p.fds().installAt(2, err, false);
    }

    /**
     * Runs the main thread on its own platform thread, so the caller can enforce the time limit
     * and a guest can never take the caller's thread with it.
     */
    private static ExitStatus runToEnd(Exec.Started started, LinuxMachine.Config config) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        GuestProcess process = started.process();
        Thread guest = Thread.ofPlatform().name("jlx-pid-" + process.pid()).unstarted(() -> {
            try {
                started.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        guest.start();
        try {
            // The process ends with its last thread, which need not be the first one.
            if (!process.awaitEnd(config.timeLimit())) {
                process.exit(ExitStatus.killed(Signals.SIGKILL));
                while (!process.awaitEnd(java.time.Duration.ofMillis(20))) {
                    // A stop can be lost while the engine is entering a run (ENGINE.md): repeat it.
                    process.exit(ExitStatus.killed(Signals.SIGKILL));
                    process.kernel().killAll();
                }
            }
            process.kernel().killAll();
            guest.join();
            process.kernel().accounting().close();
        } catch (InterruptedException e) {
            process.exit(ExitStatus.killed(Signals.SIGKILL));
            Thread.currentThread().interrupt();
            throw new JlxException("jlx: interrupted", 130);
        }
        if (failure.get() != null) {
            Kernel.log().log(System.Logger.Level.ERROR, "internal error running " + process.pid(), failure.get());
            throw new JlxException("jlx: internal error: " + failure.get(), 70, failure.get());
        }
        if (process.internalError() != null) {
            // Logged where it happened; its descendants saw it end by SIGSYS, its caller is told.
            throw new JlxException("jlx: internal error: " + process.internalError(), 70, process.internalError());
        }
        int reboot = process.kernel().rebootSignal();
        return reboot != 0 ? ExitStatus.killed(reboot) : process.exitStatus();
    }

}
