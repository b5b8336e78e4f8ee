package dev.jlx.host.windows;

import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostConsole;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.HostIdentity;
import dev.jlx.core.host.HostMemory;
import dev.jlx.core.host.HostNetwork;

/**
 * The Windows backend: files through an {@link NtLayer} ({@link WindowsFiles}), the console as the
 * terminal through a {@link ConsoleLayer} ({@link WindowsConsole}), the identity of the JDK's user
 * ({@link JvmIdentity}), and the network through java.nio ({@link NioNetwork}).
 */
public final class WindowsBackend implements HostBackend {
    /** The user files belong to when they carry no $LXUID/$LXGID, and whom jlx runs as. */
    private final HostIdentity identity;
    private final WindowsFiles files;
    private final WindowsConsole console;
    private final HostMemory memory;
    private final HostNetwork network;

    /** A backend for a process without a console (standard streams are files and pipes; no /dev/tty). */
    public WindowsBackend(NtLayer nt, HostMemory memory) {
        this(nt, FakeConsoleLayer.detached(), memory);
    }

    WindowsBackend(NtLayer nt, ConsoleLayer consoleLayer, HostMemory memory) {
        this.memory = memory;
        this.identity = JvmIdentity.of();
        this.console = new WindowsConsole(consoleLayer, identity.uid());
        this.files = new WindowsFiles(nt, new WindowsFiles.Defaults(identity.uid(), identity.gid(), 0644, 0755), identity,
                console);
        this.network = new NioNetwork(files::nativePath);
    }

    @Override
    public String name() {
        return "windows";
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

    @Override
    public HostMemory memory() {
        return memory;
    }

    @Override
    public HostNetwork network() {
        return network;
    }
}
