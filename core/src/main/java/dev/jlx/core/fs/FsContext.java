package dev.jlx.core.fs;

import dev.jlx.abi.Errno;
import dev.jlx.abi.OpenFlags;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.host.HostStat;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A file system context (fs/fsopen.c, anon_inode:[fscontext]): fsopen's for a new instance, whose
 * parameters fsconfig sets before FSCONFIG_CMD_CREATE makes it, or fspick's for a mounted one to
 * reconfigure. Its messages log stays empty: read gives ENODATA, as Linux's with nothing logged.
 */
public final class FsContext extends OpenFile {
    private static final AtomicLong INODES = new AtomicLong(600_000);

    /** fs_context_phase: the states fsconfig's commands move a context through. */
    public enum Phase { CREATE_PARAMS, AWAITING_MOUNT, RECONF_PARAMS, AWAITING_RECONF, FAILED }

    private final long inode = INODES.incrementAndGet();
    private final ByteString type;
    private final List<String> options = new ArrayList<>();
    private final Mount picked;
    private Phase phase;
    private ByteString source;
    private FileSystem created;

    /** fsopen's context for a new file system of {@code type}. */
    public FsContext(ByteString type) {
        super(OpenFlags.O_RDWR);
        this.type = type;
        this.picked = null;
        this.phase = Phase.CREATE_PARAMS;
    }

    /** fspick's context for the mounted {@code m}. */
    public FsContext(Mount m) {
        super(OpenFlags.O_RDWR);
        this.type = null;
        this.picked = m;
        this.phase = Phase.RECONF_PARAMS;
    }

    /** The file-system type fsopen named; null for fspick's. */
    public ByteString type() {
        return type;
    }

    public synchronized Phase phase() {
        return phase;
    }

    public synchronized void phase(Phase p) {
        phase = p;
    }

    /** The mount fspick picked; null for fsopen's. */
    public Mount picked() {
        return picked;
    }

    /** The parameters set so far, as mount(2)'s data would give them ("key" or "key=value"). */
    public synchronized List<String> options() {
        return List.copyOf(options);
    }

    public synchronized void option(String option) {
        options.add(option);
    }

    public synchronized ByteString source() {
        return source;
    }

    /** The "source" parameter: once only (EINVAL, "VFS: Multiple sources"). */
    public synchronized void source(ByteString s) throws ErrnoException {
        if (source != null) {
            throw new ErrnoException(Errno.EINVAL);
        }
        source = s;
    }

    /** The file system FSCONFIG_CMD_CREATE made (the picked mount's for fspick); null before. */
    public synchronized FileSystem created() {
        return picked != null ? picked.fs() : created;
    }

    public synchronized void created(FileSystem fs) {
        created = fs;
    }

    /** The log of messages: none kept, so nothing to read. */
    @Override
    public int read(MemorySegment dst) throws ErrnoException {
        throw new ErrnoException(Errno.ENODATA);
    }

    @Override
    public int write(MemorySegment src) throws ErrnoException {
        throw new ErrnoException(Errno.EINVAL);
    }

    /** An anonymous inode, as Linux's anon_inode:[fscontext]. */
    @Override
    public HostStat stat() {
        return new HostStat(AnonInodeFile.ANON_INODE_DEV, inode, 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    protected void release() {
        // Nothing to give back: a file system never mounted is forgotten with its context.
    }
}
