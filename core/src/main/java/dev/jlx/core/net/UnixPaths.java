package dev.jlx.core.net;

import dev.jlx.abi.Errno;
import dev.jlx.abi.Fcntl;
import dev.jlx.abi.FileMode;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.kernel.GuestProcess;
import dev.jlx.core.kernel.GuestThread;

/**
 * The file-system side of AF_UNIX path names, in the calling process's view (its root, working
 * directory and umask). A bound socket is known by the node bind made, as Linux knows it by the
 * inode: a socket node no jlx socket is bound to (a host daemon's, or one whose socket has closed)
 * refuses connections, unless the user lets guests reach the host's sockets ({@link UnixDomain#hostSockets}).
 */
final class UnixPaths {
    private UnixPaths() {}

    /** A node in some file system, as long as it lives: device, inode and modification time. */
    record NodeKey(long dev, long ino, long mtimeSec, long mtimeNsec) {
        static NodeKey of(HostStat st) {
            return new NodeKey(st.dev(), st.ino(), st.mtimeSec(), st.mtimeNsec());
        }
    }

    /**
     * unix_bind_bsd's mknod: a socket node at {@code path} with mode 0777 less the umask; EADDRINUSE
     * when the name is taken, and what making a name gives otherwise (ENOENT, EACCES, EROFS...).
     */
    static NodeKey make(GuestThread t, ByteString path) throws ErrnoException {
        Vfs.Resolved r = created(t, path);
        GuestProcess p = t.process();
        try {
            r.writable().fs().mksock(r.path(), 0777 & ~p.umask());
            dev.jlx.core.fs.Fsnotify.created(r);
            return NodeKey.of(r.fs().stat(r.path(), false));
        } catch (ErrnoException e) {
            throw e.errno() == Errno.EEXIST ? new ErrnoException(Errno.EADDRINUSE) : e;
        }
    }

    /**
     * The walk of a name to be made (Linux's filename_create): the last component is not followed,
     * and trailing slashes ask for a directory bind will not make (ENOENT, or EEXIST when taken).
     */
    private static Vfs.Resolved created(GuestThread t, ByteString path) throws ErrnoException {
        GuestProcess.FsView view = t.process().fsView();
        int end = path.length();
        while (end > 1 && path.byteAt(end - 1) == '/') {
            end--;
        }
        Vfs.Resolved r = view.vfs().resolve(view.cwd(), path.substring(0, end), false);
        if (end < path.length()) {
            throw new ErrnoException(Vfs.exists(r) ? Errno.EEXIST : Errno.ENOENT);
        }
        return r;
    }

    /** Removes what {@link #make} made, when the bind fails after it. */
    static void unmake(GuestThread t, ByteString path) {
        try {
            Vfs.Resolved r = created(t, path);
            r.fs().unlink(r.path());
        } catch (ErrnoException gone) {
            // Removed or replaced meanwhile: nothing of the bind's is left to undo.
        }
    }

    /**
     * A socket node found: its key, and its path on the host where the file system is the host's
     * (null otherwise), for a connect to a socket a host process bound there.
     */
    record Found(NodeKey key, ByteString hostPath) {}

    /**
     * unix_find_bsd: the node {@code path} names, links followed; its errors, then EACCES without
     * write permission on it, ECONNREFUSED when it is not a socket.
     */
    static Found find(GuestThread t, ByteString path) throws ErrnoException {
        GuestProcess.FsView view = t.process().fsView();
        Vfs.Resolved r = view.vfs().resolve(view.cwd(), path, true);
        HostStat st = r.fs().stat(r.path(), true);
        r.fs().access(r.path(), Fcntl.W_OK);
        if ((st.mode() & FileMode.S_IFMT) != FileMode.S_IFSOCK) {
            throw new ErrnoException(Errno.ECONNREFUSED);
        }
        return new Found(NodeKey.of(st), r.fs().hostSocketPath(r.path()));
    }
}
