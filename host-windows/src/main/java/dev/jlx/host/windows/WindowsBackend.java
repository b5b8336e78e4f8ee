package dev.jlx.host.windows;

import dev.jlx.abi.Errno;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostConsole;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.HostIdentity;
import dev.jlx.core.host.HostMemory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Windows backend: files through an {@link NtLayer} ({@link WindowsFiles}), the identity of a
 * configured default user, and no terminal control yet (the console through CONIN$/CONOUT$ is to come:
 * its queries answer ENOTTY, as for a file that is no terminal).
 */
public final class WindowsBackend implements HostBackend {
    /** The user files belong to when they carry no $LXUID/$LXGID, and whom jlx runs as. */
    private final HostIdentity identity;
    private final WindowsFiles files;
    private final HostConsole console = new HostConsole() {
        @Override
        public WindowSize windowSize(HostFile file) throws ErrnoException {
            throw new ErrnoException(Errno.ENOTTY);
        }

        @Override
        public Termios attributes(HostFile file) throws ErrnoException {
            throw new ErrnoException(Errno.ENOTTY);
        }
    };

    private final HostMemory memory;

    public WindowsBackend(NtLayer nt, HostMemory memory) {
        this.memory = memory;
        this.identity = JvmIdentity.of();
        this.files = new WindowsFiles(nt, new WindowsFiles.Defaults(identity.uid(), identity.gid(), 0644, 0755), identity);
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

    /**
     * jlx's user as the JDK tells it, with no native binding: on a POSIX host the JDK's
     * {@code com.sun.security.auth.module.UnixSystem}; where there is none (Windows), the first user
     * of a Linux system, 1000. The host name from the environment or the JDK.
     */
    record JvmIdentity(int uid, int gid, int[] groups, String hostname) implements HostIdentity {
        static final int DEFAULT_ID = 1000;

        static JvmIdentity of() {
            int uid = DEFAULT_ID;
            int gid = DEFAULT_ID;
            int[] groups = {DEFAULT_ID};
            try {
                var user = new com.sun.security.auth.module.UnixSystem();
                uid = (int) user.getUid();
                gid = (int) user.getGid();
                long[] g = user.getGroups();
                groups = g == null ? new int[] {gid} : java.util.Arrays.stream(g).mapToInt(x -> (int) x).toArray();
            } catch (LinkageError | RuntimeException notPosix) {
                // Windows: no POSIX ids; the default user's.
            }
            return new JvmIdentity(uid, gid, groups, hostName());
        }

        private static String hostName() {
            for (String env : new String[] {"COMPUTERNAME", "HOSTNAME"}) {
                String v = System.getenv(env);
                if (v != null && !v.isBlank()) {
                    return env.equals("COMPUTERNAME") ? v.toLowerCase(java.util.Locale.ROOT) : v;
                }
            }
            for (String file : new String[] {"/proc/sys/kernel/hostname", "/etc/hostname"}) {
                try {
                    String v = Files.readString(Path.of(file)).strip();
                    if (!v.isEmpty()) {
                        return v;
                    }
                } catch (java.io.IOException | RuntimeException absent) {
                    // Not this host's way of keeping it.
                }
            }
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return "localhost";
            }
        }

        @Override
        public int euid() {
            return uid;
        }

        @Override
        public int egid() {
            return gid;
        }

        @Override
        public int[] groups() {
            return groups.clone();
        }
    }
}
