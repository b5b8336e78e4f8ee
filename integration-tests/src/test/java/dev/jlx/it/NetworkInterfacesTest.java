package dev.jlx.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The network interfaces a guest sees (NETLINK_ROUTE, the SIOCGIF* ioctls, /proc/net), against Linux
 * in a network namespace that has only lo, brought up: there the answers are deterministic. Native
 * programs run in one such namespace, and jlx (the launcher, whose JVM reads the host's interfaces)
 * in another, so that both see the same interfaces. Without namespaces (no root, no user
 * namespaces) the tests are skipped, saying why.
 */
class NetworkInterfacesTest {
    /** Where ip lives on Debian (/usr/sbin, /sbin) besides the usual. */
    private static final Map<String, String> ENV = new LinkedHashMap<>(Map.of("PATH",
            "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL", "C", "TZ", "UTC", "HOME", "/nonexistent"));
    /** unshare's options for a new network namespace: as root directly, otherwise inside a user namespace. */
    private static List<String> unshare;

    @TempDir
    Path dir;

    @BeforeAll
    static void namespaces() throws Exception {
        CPrograms.compileAll();
        for (List<String> options : List.of(List.of("-n"), List.of("-r", "-n"))) {
            List<String> probe = new ArrayList<>(List.of("unshare"));
            probe.addAll(options);
            probe.addAll(List.of("ip", "link", "set", "lo", "up"));
            try {
                if (Native.run(probe, ENV, Path.of("."), new byte[0]).status() == 0) {
                    unshare = options;
                    return;
                }
            } catch (java.io.IOException missing) {
                break;
            }
        }
    }

    /** {@code argv} in a new network namespace whose lo is up. */
    private static List<String> inNamespace(List<String> argv) {
        Assumptions.assumeTrue(unshare != null,
                "no network namespace can be made here (unshare -n needs root or user namespaces, and iproute2's ip)");
        List<String> cmd = new ArrayList<>(List.of("unshare"));
        cmd.addAll(unshare);
        cmd.addAll(List.of("/bin/sh", "-c", "ip link set lo up && exec \"$@\"", "sh"));
        cmd.addAll(argv);
        return cmd;
    }

    /** {@code argv} natively and under the jlx launcher, each in a namespace of its own: the same output and status. */
    private void assertSameInNamespace(List<String> argv, String caseName) throws Throwable {
        Result expected = Native.run(inNamespace(argv), ENV, dir, new byte[0]);
        List<String> jlx = CliTest.jlxRun();
        jlx.add("--");
        jlx.addAll(argv);
        Map<String, String> env = new LinkedHashMap<>(CliTest.cliEnv());
        env.put("PATH", ENV.get("PATH"));
        Result actual = Native.run(inNamespace(jlx), env, dir, new byte[0]);
        KnownFailures.check("NetworkInterfacesTest", caseName,
                () -> Result.assertSameAs(expected, actual, caseName));
    }

    /** getifaddrs, if_nameindex, SIOCGIF* and raw NETLINK_ROUTE dumps (ifaces.c) with each toolchain. */
    @ParameterizedTest(name = "ifaces {0}")
    @EnumSource(CPrograms.Toolchain.class)
    void interfacesAsAProgramSeesThem(CPrograms.Toolchain toolchain) throws Throwable {
        assertSameInNamespace(List.of(CPrograms.binary("ifaces", toolchain).toString()), "ifaces " + toolchain);
    }

    static Stream<String> commands() {
        return Stream.of("ip addr", "ip link", "ip -d link", "ip -s link", "ip link show lo", "ip -4 addr show dev lo",
                "ip -j addr", "ip route show table all", "ip -6 route show table all",
                "busybox ip addr", "busybox ip link", "busybox ip route", "busybox ifconfig -a");
    }

    /** iproute2 (Debian's) and busybox's ip and ifconfig. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void networkTools(String command) throws Throwable {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/busybox")) || !command.startsWith("busybox"),
                "busybox is not installed");
        List<String> argv = new ArrayList<>(List.of(command.split(" ")));
        if (argv.getFirst().equals("busybox")) {
            argv.set(0, "/bin/busybox");
        }
        assertSameInNamespace(argv, command);
    }

    /** The /proc/net files and network sysctls a fresh namespace has: headers, lo's lines, defaults. */
    @Test
    void procNet() throws Throwable {
        String script = "for f in tcp tcp6 udp udp6 netlink; do head -n 1 /proc/net/$f; done;"
                + " cat /proc/net/route /proc/net/dev /proc/net/if_inet6 /proc/sys/net/core/somaxconn"
                + " /proc/sys/net/ipv4/ip_local_port_range /proc/sys/net/ipv4/ping_group_range;"
                + " ls /proc/self/net | grep -x -e dev -e tcp -e udp -e tcp6 -e udp6 -e unix -e route -e netlink"
                + " -e if_inet6";
        assertSameInNamespace(List.of("/bin/busybox", "sh", "-c", script), "/proc/net");
    }
}
