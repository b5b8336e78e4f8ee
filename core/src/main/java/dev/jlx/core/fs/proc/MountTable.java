package dev.jlx.core.fs.proc;

import dev.jlx.abi.struct.Statfs;
import dev.jlx.core.ByteString;
import dev.jlx.core.ErrnoException;
import dev.jlx.core.fs.Devfs;
import dev.jlx.core.fs.FileSystem;
import dev.jlx.core.fs.HostDirectoryFs;
import dev.jlx.core.fs.Mount;
import dev.jlx.core.fs.Tmpfs;
import dev.jlx.core.fs.Vfs;
import dev.jlx.core.host.HostStat;
import dev.jlx.core.host.HostStatfs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * /proc/PID/mounts, mountinfo and /proc/filesystems from the VFS's mount table: the guest's mounts
 * only. A host directory shows the host's file-system type (from its statfs magic) with the host
 * directory as its source, as a bind mount of it would; its mount options are those statfs reports.
 */
public final class MountTable {
    /** The rootfs Linux keeps below the root mount: the root's parent, never listed itself. */
    static final int ROOTFS_ID = 1;
    /** The internal mount of files without a path (pipes, streams), as Linux's pipefs; never listed. */
    public static final int ANONYMOUS_ID = 2;
    /** ST_NODIRATIME of statvfs.h. */
    private static final long ST_NODIRATIME = 0x800;

    /** A file-system type Linux knows by its statfs magic; {@code nodev} when it needs no block device. */
    private record Type(long magic, String name, boolean nodev) {}

    private static final List<Type> TYPES = List.of(
            new Type(0x62656572L, "sysfs", true),
            new Type(Statfs.TMPFS_MAGIC, "tmpfs", true),
            new Type(0x9fa0L, "proc", true),
            new Type(0xEF53L, "ext4", false),
            new Type(0x58465342L, "xfs", false),
            new Type(0x9123683EL, "btrfs", false),
            new Type(0xF2F52010L, "f2fs", false),
            new Type(0x2fc12fc1L, "zfs", false),
            new Type(0x794c7630L, "overlay", true),
            new Type(0x6969L, "nfs", true),
            new Type(0xFE534D42L, "smb3", true),
            new Type(0xFF534D42L, "cifs", true),
            new Type(0x65735546L, "fuse", true),
            new Type(0x01021997L, "9p", true),
            new Type(0x858458f6L, "ramfs", true),
            new Type(0x73717368L, "squashfs", false),
            new Type(0xE0F5E1E2L, "erofs", false),
            new Type(0x9660L, "iso9660", false),
            new Type(0x4d44L, "vfat", false),
            new Type(0x2011BAB0L, "exfat", false),
            new Type(0x5346544eL, "ntfs3", false),
            new Type(0x4244L, "hfs", false),
            new Type(0x482bL, "hfsplus", false),
            new Type(0x42535041L, "apfs", false),
            new Type(0x0187L, "autofs", true),
            new Type(Statfs.DEVPTS_SUPER_MAGIC, "devpts", true));

    private MountTable() {}

    /** A mount's id, as mountinfo, fdinfo and statx show it. */
    public static int id(Mount mount) {
        return mount.id();
    }

    /** mountinfo's parent id of the root mount: Linux's rootfs. */
    public static final int ROOTFS_PARENT = ROOTFS_ID;

    /** The file-system type mountinfo shows for {@code m} ("hostfs" for a host type jlx does not know). */
    public static String typeName(Mount m) throws ErrnoException {
        return show(m).type();
    }

    /** One mount as Linux's show_vfsmnt and show_mountinfo see it. */
    private record Shown(String type, ByteString source, boolean readOnly, boolean superReadOnly, String mountOptions,
            String superOptions, long dev) {}

    private static Shown show(Mount m) throws ErrnoException {
        FileSystem fs = m.fs();
        HostStatfs s = fs.statfs(ByteString.ROOT);
        HostStat root = fs.stat(ByteString.ROOT, true);
        String type = fs instanceof Devfs ? "devtmpfs" : TYPES.stream().filter(t -> t.magic() == s.type())
                .map(Type::name).findFirst().orElse("hostfs");
        ByteString source = m.source() != null ? m.source()
                : fs instanceof HostDirectoryFs h ? h.hostDirectory() : ByteString.of(type);
        long flags = m.flags() == Mount.FROM_FS ? s.flags() : m.flags();
        StringBuilder options = new StringBuilder();
        flag(options, flags, Statfs.ST_NOSUID, ",nosuid");
        flag(options, flags, Statfs.ST_NODEV, ",nodev");
        flag(options, flags, Statfs.ST_NOEXEC, ",noexec");
        flag(options, flags, Statfs.ST_NOATIME, ",noatime");
        flag(options, flags, ST_NODIRATIME, ",nodiratime");
        flag(options, flags, Statfs.ST_RELATIME, ",relatime");
        StringBuilder superOptions = new StringBuilder();
        if (fs instanceof Tmpfs || fs instanceof Devfs) {
            // shmem_show_options: what differs from a tmpfs's defaults.
            if ((root.mode() & 07777) != 01777) {
                superOptions.append(String.format(",mode=%03o", root.mode() & 07777));
            }
            if (root.uid() != 0) {
                superOptions.append(",uid=").append(root.uid());
            }
            if (root.gid() != 0) {
                superOptions.append(",gid=").append(root.gid());
            }
        }
        boolean hostReadOnly = (s.flags() & Statfs.ST_RDONLY) != 0;
        boolean superReadOnly = hostReadOnly || m.superReadOnly();
        return new Shown(type, source, m.readOnly() || hostReadOnly, superReadOnly, options.toString(),
                superOptions.toString(), root.dev());
    }

    private static void flag(StringBuilder out, long flags, long flag, String name) {
        if ((flags & flag) != 0) {
            out.append(name);
        }
    }

    /**
     * Space, tab, newline and backslash in octal, as the kernel's mangle(); other bytes as they are,
     * one char each (the file is encoded with ISO-8859-1).
     */
    private static String mangle(ByteString name) {
        StringBuilder out = new StringBuilder();
        for (char c : name.latin1().toCharArray()) {
            if (c == ' ' || c == '\t' || c == '\n' || c == '\\') {
                out.append(String.format("\\%03o", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** /proc/PID/mounts: source, mount point, type, options, "0 0". A mount jlx cannot stat is left out. */
    static byte[] mounts(Vfs vfs) {
        StringBuilder out = new StringBuilder();
        for (Mount m : vfs.mounts()) {
            try {
                Shown s = show(m);
                out.append(mangle(s.source())).append(' ').append(mangle(m.guestPath())).append(' ').append(s.type())
                        .append(s.readOnly() ? " ro" : " rw").append(s.mountOptions()).append(s.superOptions())
                        .append(" 0 0\n");
            } catch (ErrnoException gone) {
                // A host directory that went away: nothing to show for it.
            }
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** /proc/PID/mountinfo: ids, device, root, mount point, options, then type, source and super options. */
    static byte[] mountinfo(Vfs vfs) {
        StringBuilder out = new StringBuilder();
        for (Mount m : vfs.mounts()) {
            try {
                Shown s = show(m);
                ByteString path = m.guestPath();
                Mount under = vfs.parentOf(m);
                int parent = under == null ? ROOTFS_ID : under.id();
                long major = ((s.dev() >>> 8) & 0xfff) | ((s.dev() >>> 32) & ~0xfffL);
                long minor = (s.dev() & 0xff) | ((s.dev() >>> 12) & ~0xffL);
                out.append(id(m)).append(' ').append(parent).append(' ').append(major).append(':').append(minor)
                        .append(' ').append(m.fsRoot().isEmpty() || m.guestPath().equals(ByteString.ROOT) ? "/"
                                : mangle(m.fsRoot()))
                        .append(' ').append(mangle(path)).append(s.readOnly() ? " ro" : " rw")
                        .append(s.mountOptions()).append(propagation(m)).append(" - ").append(s.type()).append(' ')
                        .append(mangle(s.source())).append(s.superReadOnly() ? " ro" : " rw")
                        .append(s.superOptions()).append('\n');
            } catch (ErrnoException gone) {
                // As in mounts.
            }
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** mountinfo's optional fields: the peer group of a shared mount, "unbindable"; none for a private one. */
    private static String propagation(Mount m) {
        if (m.propagation() == dev.jlx.abi.MountFlags.MS_SHARED) {
            return " shared:" + m.group();
        }
        if (m.propagation() == dev.jlx.abi.MountFlags.MS_UNBINDABLE) {
            return " unbindable";
        }
        return "";
    }

    /**
     * /proc/filesystems: the types jlx serves itself, in Linux's registration order, then those of the
     * host directories mounted; "nodev" marks types without a block device.
     */
    static byte[] filesystems(Vfs vfs) {
        StringBuilder out = new StringBuilder();
        filesystemLines(vfs).forEach(l -> out.append(l).append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The names of /proc/filesystems's types, in its order (sysfs(2)'s indexes). */
    public static List<String> filesystemNames(Vfs vfs) {
        return filesystemLines(vfs).stream().map(l -> l.substring(l.indexOf('\t') + 1)).toList();
    }

    private static Set<String> filesystemLines(Vfs vfs) {
        Set<String> lines = new LinkedHashSet<>(List.of("nodev\tsysfs", "nodev\ttmpfs", "nodev\tproc",
                "nodev\tdevtmpfs"));
        List<String> hostTypes = new ArrayList<>();
        for (Mount m : vfs.mounts()) {
            try {
                long magic = m.fs().statfs(ByteString.ROOT).type();
                TYPES.stream().filter(t -> t.magic() == magic)
                        .forEach(t -> hostTypes.add((t.nodev() ? "nodev\t" : "\t") + t.name()));
            } catch (ErrnoException gone) {
                // As in mounts.
            }
        }
        lines.addAll(hostTypes);
        return lines;
    }
}
