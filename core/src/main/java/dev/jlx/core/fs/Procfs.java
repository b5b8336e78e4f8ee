package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.core.fs.proc.ProcTree;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import dev.jlx.core.fs.proc.PseudoNode;
import dev.jlx.core.kernel.Kernel;

/**
 * procfs: the processes of the calling guest's kernel and the machine jlx presents, generated from
 * jlx's own state whenever they are read (the host's /proc describes the JVM, not the guest). Each
 * caller sees its own kernel's processes, and /proc/self is the caller. Creating a name is ENOENT,
 * changing one EPERM, as on Linux.
 */
public final class Procfs extends PseudoFs {
    /** st_blksize of every procfs inode. */
    private static final int BLOCK_SIZE = 1024;

    private final ProcTree tree = new ProcTree();

    /** Mounted on a directory whose stat and statfs are {@code dir} and {@code dirFs} (null: none). */
    public Procfs(HostStat dir, HostStatfs dirFs) {
        super(ProcTree.MAGIC, BLOCK_SIZE, Errno.ENOENT, Errno.ENOENT, dir, dirFs);
    }

    /**
     * The pid of the /proc/PID directory open in {@code f}, which pidfd_send_signal takes for a pidfd
     * (tgid_pidfd_to_pid); 0 when {@code f} is no such directory.
     */
    public static int pidDirectory(OpenFile f) {
        if (!(f instanceof VfsFile v) || v.resolved() == null || !(v.fileSystem() instanceof Procfs)) {
            return 0;
        }
        String name = v.resolved().path().toString();
        if (name.startsWith("/")) {
            name = name.substring(1);
        }
        if (name.isEmpty() || name.length() > 9 || !name.chars().allMatch(Character::isDigit)) {
            return 0;
        }
        return Integer.parseInt(name);
    }

    @Override
    protected PseudoNode.Dir root() {
        return tree.root(Kernel.caller());
    }
}
