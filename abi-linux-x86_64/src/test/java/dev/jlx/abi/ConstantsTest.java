package dev.jlx.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * Spot checks of the constant classes. All of their values were compared once with this machine's
 * headers by src/test/c/constants.c; these tests pin the ones jlx leans on and the name lookups.
 */
class ConstantsTest {

    @Test
    void mman() {
        assertEquals(0x22, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
        assertEquals(0x100000, Mman.MAP_FIXED_NOREPLACE);
        assertEquals(0x20000, Mman.MAP_STACK);
        assertEquals(4, Mman.MREMAP_DONTUNMAP);
        assertEquals(4, Mman.MADV_DONTNEED);
    }

    @Test
    void sockets() {
        assertEquals(20, Socket.SO_RCVTIMEO_OLD);
        assertEquals(17, Socket.SO_PEERCRED);
        assertEquals(0x40000000, Socket.MSG_CMSG_CLOEXEC);
        assertEquals(0x4000, Socket.MSG_NOSIGNAL);
        assertEquals(0x80000, Socket.SOCK_CLOEXEC);
        assertEquals(0x800, Socket.SOCK_NONBLOCK);
        assertEquals("AF_UNIX", Socket.familyName(1));
        assertEquals("AF_MCTP", Socket.familyName(45));
        assertNull(Socket.familyName(46));
        assertEquals("SOCK_SEQPACKET", Socket.typeName(5));
        assertEquals(0x2000, Poll.POLLRDHUP);
    }

    @Test
    void netlink() {
        assertEquals(270, Netlink.SOL_NETLINK);
        assertEquals(0x300, Netlink.NLM_F_DUMP);
        assertEquals(12, Netlink.NETLINK_GET_STRICT_CHK);
        assertEquals(23, Netlink.IFLA_STATS64);
        assertEquals(772, Netlink.ARPHRD_LOOPBACK);
        assertEquals(0x10000, Netlink.IFF_LOWER_UP);
        assertEquals("NETLINK_ROUTE", Netlink.protocolName(0));
        assertNull(Netlink.protocolName(99));
        assertEquals(0x8933, Ioctl.SIOCGIFINDEX);
        assertEquals(0x8942, Ioctl.SIOCGIFTXQLEN);
        assertEquals("SIOCGIFCONF", Ioctl.name(0x8912));
    }

    @Test
    void signalNames() {
        assertEquals("SIGSEGV", Signals.name(Signals.SIGSEGV));
        assertEquals("SIGHUP", Signals.name(1));
        assertEquals("SIGSYS", Signals.name(31));
        assertEquals("SIGRT0", Signals.name(32));
        assertEquals("SIGRT3", Signals.name(35));
        assertEquals("SIGRT32", Signals.name(64));
        assertNull(Signals.name(0));
        assertNull(Signals.name(65));
        assertEquals(0x04000000, Signals.SA_RESTORER);
        assertEquals(0x80000000, Signals.SA_RESETHAND);
        assertEquals(8, Signals.SIGSET_SIZE);
        assertEquals(0x80, Signals.SI_KERNEL);
        assertEquals(-6, Signals.SI_TKILL);
        assertEquals(5, Signals.CLD_STOPPED);
        assertEquals(6, Signals.CLD_CONTINUED);
    }

    @Test
    void resourceNames() {
        assertEquals("RLIMIT_NOFILE", Resource.name(Resource.RLIMIT_NOFILE));
        assertEquals("RLIMIT_RTTIME", Resource.name(15));
        assertNull(Resource.name(Resource.RLIM_NLIMITS));
        assertNull(Resource.name(-1));
        assertEquals(0xffff_ffff_ffff_ffffL, Resource.RLIM_INFINITY);
    }

    @Test
    void ioctlNames() {
        assertEquals("TCGETS", Ioctl.name(0x5401));
        assertEquals("TIOCGWINSZ", Ioctl.name(Ioctl.TIOCGWINSZ));
        assertEquals("FIONREAD", Ioctl.name(Ioctl.TIOCINQ));
        assertEquals("TIOCGPTN", Ioctl.name((int) 0x80045430L));
        assertEquals(0x40045431, Ioctl.TIOCSPTLCK);
        assertNull(Ioctl.name(0x1234));
    }

    @Test
    void auxvNames() {
        assertEquals("AT_RANDOM", Auxv.name(25));
        assertEquals("AT_SYSINFO_EHDR", Auxv.name(33));
        assertEquals("AT_MINSIGSTKSZ", Auxv.name(51));
        assertEquals("AT_NULL", Auxv.name(0));
        assertEquals("AT_RSEQ_ALIGN", Auxv.name(Auxv.AT_RSEQ_ALIGN));
        assertNull(Auxv.name(20));
        assertNull(Auxv.name(40));
        assertNull(Auxv.name(52));
        assertNull(Auxv.name(-1));
    }

    @Test
    void elf() {
        assertEquals(62, Elf.EM_X86_64);
        assertEquals(0x6474e551, Elf.PT_GNU_STACK);
        assertEquals(64, Elf.EHDR_SIZE);
        assertEquals(56, Elf.PHDR_SIZE);
        assertEquals(Elf.EHDR_SIZE - 2, Elf.E_SHSTRNDX);
        assertEquals(Elf.PHDR_SIZE - 8, Elf.P_ALIGN);
    }

    @Test
    void miscellaneous() {
        assertEquals(0x1002, ArchPrctl.ARCH_SET_FS);
        assertEquals(11, Clocks.CLOCK_TAI);
        assertEquals(0xfffffe7f, Futex.FUTEX_CMD_MASK);
        assertEquals(Futex.FUTEX_WAIT, Futex.FUTEX_WAIT_PRIVATE & Futex.FUTEX_CMD_MASK);
        assertEquals(15, Prctl.PR_SET_NAME);
        assertEquals(0x40000000, Wait.WALL);
        assertEquals(4, Random.GRND_INSECURE);
        assertEquals(02000000, OpenFlags.O_CLOEXEC);
        assertEquals(-100, Fcntl.AT_FDCWD);
        assertEquals(0x003d0f00, CloneFlags.CLONE_VM | CloneFlags.CLONE_FS | CloneFlags.CLONE_FILES
                | CloneFlags.CLONE_SIGHAND | CloneFlags.CLONE_THREAD | CloneFlags.CLONE_SYSVSEM
                | CloneFlags.CLONE_SETTLS | CloneFlags.CLONE_PARENT_SETTID | CloneFlags.CLONE_CHILD_CLEARTID);
    }
}
