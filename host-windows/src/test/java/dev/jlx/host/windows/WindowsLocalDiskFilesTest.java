package dev.jlx.host.windows;

import dev.jlx.core.host.PortableHostMemory;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jlx.core.ByteString;
import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostFilesContract;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The file contract on the Windows backend over the NTFS-like fake on the local disk. */
class WindowsLocalDiskFilesTest extends HostFilesContract {
    static final LocalDiskNtLayer LAYER = new LocalDiskNtLayer(Path.of("/"));
    static final WindowsBackend BACKEND = new WindowsBackend(LAYER, PortableHostMemory.PAGES);

    @Override
    protected HostBackend backend() {
        return BACKEND;
    }

    /** A directory made through the backend, so case-sensitive, as every directory jlx makes. */
    @Override
    protected Path directory(Path tempDir) throws Exception {
        Path d = tempDir.resolve("w");
        BACKEND.files().mkdir(ByteString.of(d.toString()), 0755);
        return d;
    }

    @Override
    protected long timeGranularityNanos() {
        return 100;
    }

    private Set<Long> before;

    @BeforeEach
    void handlesBefore() {
        before = LAYER.openHandles();
    }

    @AfterEach
    void noHandleLeftOpen() {
        assertEquals(before, LAYER.openHandles());
    }
}
