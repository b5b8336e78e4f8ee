package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.core.fs.proc.PseudoNode;
import dev.jlx.core.fs.proc.SysTree;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;

/**
 * sysfs: the CPUs jlx presents (/sys/devices/system/cpu), where glibc's get_nprocs and lscpu look.
 * Creating a file is EACCES and making a directory EPERM, as kernfs answers.
 */
public final class Sysfs extends PseudoFs {
    /** st_blksize of every sysfs inode: a page. */
    private static final int BLOCK_SIZE = 4096;

    private final SysTree tree = new SysTree();

    /** Mounted on a directory whose stat and statfs are {@code dir} and {@code dirFs} (null: none). */
    public Sysfs(HostStat dir, HostStatfs dirFs) {
        super(SysTree.MAGIC, BLOCK_SIZE, Errno.EACCES, Errno.EPERM, dir, dirFs);
    }

    @Override
    protected PseudoNode.Dir root() {
        return tree.root();
    }
}
