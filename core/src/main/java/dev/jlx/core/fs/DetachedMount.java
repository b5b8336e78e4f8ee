package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostStat;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A mount tree in no mount table, held by an O_PATH descriptor (fsmount's, open_tree's with
 * OPEN_TREE_CLONE): its mounts' guest paths are relative to its root ("/" for the root itself).
 * move_mount attaches it, after which the descriptor names that mount (by id) wherever it is;
 * closing the descriptor before that drops it. jlx walks no path through such a descriptor (an *at
 * call relative to it is ENOTDIR); fstat and fstatfs see its root.
 */
public final class DetachedMount extends OpenFile {
    private volatile List<Mount> tree;
    private volatile Mount root;
    private volatile int attachedId;

    public DetachedMount(List<Mount> tree) {
        super(OpenFlags.O_PATH);
        this.tree = List.copyOf(tree);
        this.root = tree.getFirst();
    }

    /** The id of the mount the tree became once attached; 0 before. */
    public int attachedId() {
        return attachedId;
    }

    /** The tree was attached, its root as mount {@code id}. */
    public void attached(int id) {
        attachedId = id;
    }

    /** The tree, or null once move_mount attached it. */
    public List<Mount> tree() {
        return tree;
    }

    /** Takes the tree to attach: EINVAL when it was attached already (it is no longer detached). */
    public synchronized List<Mount> take() throws ErrnoException {
        List<Mount> t = tree;
        if (t == null) {
            throw new ErrnoException(Errno.EINVAL);
        }
        tree = null;
        return t;
    }

    private Mount root() {
        return root;
    }

    private ByteString rootPath() throws ErrnoException {
        Mount m = root();
        return m.fsRoot().isEmpty() ? ByteString.ROOT : m.fsRoot();
    }

    @Override
    public int read(MemorySegment dst) throws ErrnoException {
        throw new ErrnoException(Errno.EBADF);
    }

    @Override
    public int write(MemorySegment src) throws ErrnoException {
        throw new ErrnoException(Errno.EBADF);
    }

    @Override
    public HostStat stat() throws ErrnoException {
        return root().fs().stat(rootPath(), true);
    }

    @Override
    public dev.jlx.core.host.HostStatfs statfs() throws ErrnoException {
        return root().fs().statfs(rootPath());
    }

    @Override
    protected void release() {
        tree = null;
    }

}
