package dev.jlx.it;

import dev.jlx.abi.FileMode;
import dev.jlx.core.ByteString;
import dev.jlx.core.host.HostFile;
import dev.jlx.core.host.HostFiles;
import dev.jlx.core.host.HostStat;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A host backend with a planted difference, for {@code jlx diff}'s tests: the backend under test,
 * except that a regular file named {@link #FILE} is reported {@link #EXTRA} bytes larger than it is,
 * by stat and lstat of its path and by fstat of a file opened by it. Available on the threads that
 * ask for it, or everywhere in a JVM started with {@code -Djlx.it.plantedSize=true} (a launcher's).
 */
public final class PlantedSizeBackend extends WrappingBackend {
    static final String NAME = "planted-size";
    static final String FILE = "planted";
    static final long EXTRA = 1000;
    static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.getBoolean("jlx.it.plantedSize"));

    public PlantedSizeBackend() {
        super(NAME, ENABLED);
    }

    @Override
    Object call(HostFiles real, Method method, Object[] args) throws Throwable {
        Object result = invoke(real, method, args);
        if (args == null || !(args[0] instanceof ByteString path) || !path.utf8().endsWith("/" + FILE)) {
            return result;
        }
        return switch (result) {
            case HostStat s -> planted(s);
            case HostFile f -> Proxy.newProxyInstance(HostFile.class.getClassLoader(), new Class<?>[] {HostFile.class},
                    (proxy, m, a) -> {
                        Object r = invoke(f, m, a);
                        return r instanceof HostStat s ? planted(s) : r;
                    });
            case null, default -> result;
        };
    }

    private static HostStat planted(HostStat s) {
        if ((s.mode() & FileMode.S_IFMT) != FileMode.S_IFREG) {
            return s;
        }
        return new HostStat(s.dev(), s.ino(), s.mode(), s.nlink(), s.uid(), s.gid(), s.rdev(), s.size() + EXTRA,
                s.blksize(), s.blocks(), s.atimeSec(), s.atimeNsec(), s.mtimeSec(), s.mtimeNsec(), s.ctimeSec(),
                s.ctimeNsec(), s.btimeSec(), s.btimeNsec(), s.attributes(), s.attributesMask());
    }
}
