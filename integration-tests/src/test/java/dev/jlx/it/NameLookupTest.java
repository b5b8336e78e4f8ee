package dev.jlx.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Name lookups as glibc (Debian's getent, dynamic; resolve.c static) and musl (resolve.c) make them:
 * from the machine's /etc/hosts, asking only what the file answers; and through a DNS server on
 * 127.0.0.1, a native dnsmasq in a network namespace the test makes (with a mount namespace whose
 * /etc/resolv.conf and /etc/hosts are the test's files, bind-mounted: the machine's stay untouched,
 * and a pid namespace, so that dnsmasq ends with the namespace). Natively and under the jlx launcher
 * (whose JVM is in a namespace of its own, the guest reading the bind-mounted files through the host),
 * each run with a dnsmasq of its own: the same output and status.
 */
class NameLookupTest {
    /** Where ip and dnsmasq live on Debian (/usr/sbin) besides the usual. */
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL", "C",
            "TZ", "UTC", "HOME", "/nonexistent");
    /** unshare's options for the namespaces: as root directly, otherwise inside a user namespace. */
    private static List<String> unshare;
    private static String noNamespaces = "";

    /**
     * The names asked: from /etc/hosts (both families, one), from DNS (both families, IPv4 only,
     * NXDOMAIN), and addresses (reverse lookups: hosts, a PTR record, none).
     */
    private static final List<String> NAMES = List.of("localhost", "hostsonly.test", "www.example.test", "v4only.test",
            "nothere.test", "127.0.0.1", "::1", "10.1.2.3", "fd00::123");

    /**
     * Brings lo up, puts the test's resolv.conf and hosts in place, starts dnsmasq (which returns
     * once it listens; every name it does not know is NXDOMAIN, and it forwards nothing) and a native
     * python http.server on 127.0.0.1:8080 serving the www directory (20 s at most to listen); runs
     * the command and exits with its status: the namespace's end ends both.
     */
    private static final String NAMESPACE_SCRIPT = """
            D=$(dirname "$0")
            ip link set lo up || exit 97
            mount --bind "$D/resolv.conf" /etc/resolv.conf && mount --bind "$D/hosts" /etc/hosts || exit 98
            dnsmasq --no-resolv --no-hosts --listen-address=127.0.0.1 --bind-interfaces --port=53 --user=root \
                --pid-file="$D/dnsmasq.pid" --log-facility="$D/dnsmasq.log" --log-queries \
                --address=/example.test/10.1.2.3 --address=/example.test/fd00::123 --address=/v4only.test/10.4.4.4 \
                --address=/web.test/127.0.0.1 --address=/web.test/::1 \
                --address=/#/ --ptr-record=3.2.1.10.in-addr.arpa,www.example.test || exit 99
            python3 -m http.server --bind 127.0.0.1 --directory "$D/www" 8080 >"$D/http.log" 2>&1 &
            i=0
            while ! curl -s -o /dev/null http://127.0.0.1:8080/; do
                i=$((i+1)); [ $i -lt 200 ] || exit 96; sleep 0.1
            done
            "$@"
            """;

    @TempDir
    Path dir;

    @BeforeAll
    static void namespaces() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/sbin/dnsmasq"))) {
            noNamespaces = "dnsmasq is not installed (.ci/setup installs dnsmasq-base)";
            return;
        }
        for (List<String> options : List.<List<String>>of(List.of(), List.of("-r"))) {
            List<String> probe = new ArrayList<>(List.of("unshare"));
            probe.addAll(options);
            probe.addAll(List.of("-n", "-m", "-p", "-f", "--kill-child", "--propagation", "private", "true"));
            try {
                Result r = Native.run(probe, ENV, Path.of("."), new byte[0]);
                if (r.status() == 0) {
                    unshare = options;
                    return;
                }
                noNamespaces += r.err();
            } catch (java.io.IOException missing) {
                noNamespaces = "no unshare: " + missing.getMessage();
                return;
            }
        }
    }

    /** From the machine's /etc/hosts: getent's ahosts answer from the file (no DNS query, unlike hosts). */
    @Test
    void getentFromTheHostsFile() throws Throwable {
        KnownFailures.check("NameLookupTest", "getent ahosts", () -> {
            Runner.assertSameAsNative(List.of("/usr/bin/getent", "ahosts", "localhost"), dir, new byte[0]);
            Runner.assertSameAsNative(List.of("/usr/bin/getent", "ahostsv4", "localhost"), dir, new byte[0]);
        });
    }

    /** getaddrinfo and gethostbyname of localhost, answered by the machine's /etc/hosts alone. */
    @ParameterizedTest(name = "resolve --hosts {0}")
    @EnumSource(CPrograms.Toolchain.class)
    void resolveFromTheHostsFile(CPrograms.Toolchain toolchain) throws Throwable {
        List<String> argv = List.of(CPrograms.binary("resolve", toolchain).toString(), "--hosts", "localhost");
        KnownFailures.check("NameLookupTest", "resolve --hosts " + toolchain,
                () -> Runner.assertSameAsNative(argv, dir, new byte[0]));
    }

    /** getent (glibc's NSS, its resolver: A and AAAA in one sendmmsg) through dnsmasq, and from the test's hosts. */
    @Test
    void getentThroughADnsServer() throws Throwable {
        StringBuilder script = new StringBuilder();
        for (String query : List.of("hosts localhost hostsonly.test www.example.test v4only.test", "ahosts example.test",
                "ahostsv6 localhost", "ahostsv4 v4only.test", "hosts nothere.test", "hosts 10.1.2.3", "hosts fd00::123",
                "hosts ::1")) {
            script.append("getent ").append(query).append("; echo \"status $?\"\n");
        }
        assertSameInNamespace(List.of("/bin/sh", "-c", script.toString()), "getent through dnsmasq",
                "10.1.2.3        www.example.test");
    }

    /**
     * curl, wget and busybox wget fetching by a name only the DNS server knows (web.test: ::1 and
     * 127.0.0.1, the server listening on 127.0.0.1 only): curl's resolver thread and happy eyeballs
     * (IPv6 refused, then IPv4), wget's getaddrinfo, busybox's static glibc.
     */
    @Test
    void clientsFetchByANameFromTheDnsServer() throws Throwable {
        String script = """
                curl -sS http://web.test:8080/page.txt; echo "curl $?"
                wget -q -O - http://web.test:8080/page.txt; echo "wget $?"
                busybox wget -q -O - http://web.test:8080/page.txt; echo "busybox wget $?"
                """;
        assertSameInNamespace(List.of("/bin/sh", "-c", script), "clients by name", "found by name\ncurl 0");
    }

    /** resolve.c through dnsmasq and the test's hosts, with each libc. */
    @ParameterizedTest(name = "resolve {0}")
    @EnumSource(CPrograms.Toolchain.class)
    void resolveThroughADnsServer(CPrograms.Toolchain toolchain) throws Throwable {
        List<String> argv = new ArrayList<>(List.of(CPrograms.binary("resolve", toolchain).toString()));
        argv.addAll(NAMES);
        assertSameInNamespace(argv, "resolve " + toolchain,
                "gethostbyname(www.example.test): www.example.test, inet, length 4: 10.1.2.3");
    }

    /**
     * {@code argv} natively and under the jlx launcher, each in namespaces of its own with a DNS
     * server of its own: the same output and status. The native output must hold {@code fromDns},
     * an answer of the DNS server, lest both runs fail alike.
     */
    private void assertSameInNamespace(List<String> argv, String caseName, String fromDns) throws Throwable {
        Assumptions.assumeTrue(unshare != null, "no network, mount and pid namespaces can be made here "
                + "(unshare needs root or user namespaces): " + noNamespaces);
        Result expected = Native.run(inNamespace(Files.createDirectories(dir.resolve("native")), argv), ENV, dir,
                new byte[0]);
        assertTrue(expected.out().contains(fromDns), "the native run: " + expected.out() + expected.err());
        List<String> jlx = CliTest.jlxRun();
        jlx.add("--");
        jlx.addAll(argv);
        Map<String, String> env = new LinkedHashMap<>(CliTest.cliEnv());
        env.put("PATH", ENV.get("PATH"));
        Path jlxDir = Files.createDirectories(dir.resolve("jlx"));
        Result actual = Native.run(inNamespace(jlxDir, jlx), env, dir, new byte[0]);
        KnownFailures.check("NameLookupTest", caseName, () -> {
            try {
                Result.assertSameAs(expected, actual, caseName);
            } catch (AssertionError e) {
                Path log = jlxDir.resolve("dnsmasq.log");
                throw new AssertionError(e.getMessage() + "dnsmasq's log of the jlx run:\n"
                        + (Files.exists(log) ? Files.readString(log) : "(none)"), e);
            }
        });
    }

    /** {@code argv} in new network, mount and pid namespaces holding the test's DNS server, files in {@code d}. */
    private static List<String> inNamespace(Path d, List<String> argv) throws Exception {
        Files.writeString(d.resolve("resolv.conf"), "nameserver 127.0.0.1\noptions timeout:2 attempts:1\n");
        Files.writeString(d.resolve("hosts"), "127.0.0.1 localhost\n::1 localhost ip6-localhost\n"
                + "127.0.0.1 hostsonly.test\n");
        Files.writeString(d.resolve("ns.sh"), NAMESPACE_SCRIPT);
        Files.writeString(Files.createDirectories(d.resolve("www")).resolve("page.txt"), "found by name\n");
        List<String> cmd = new ArrayList<>(List.of("unshare"));
        cmd.addAll(unshare);
        cmd.addAll(List.of("-n", "-m", "-p", "-f", "--kill-child", "--propagation", "private", "/bin/sh",
                d.resolve("ns.sh").toString()));
        cmd.addAll(argv);
        return cmd;
    }
}
