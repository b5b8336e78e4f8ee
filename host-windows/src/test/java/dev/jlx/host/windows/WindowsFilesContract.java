package dev.jlx.host.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostFilesContract;
import dev.jlx.core.host.PortableHostMemory;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The file contract on the Windows backend over a fake NT layer, which must be left with no handle open. */
abstract class WindowsFilesContract extends HostFilesContract {
    private final FakeNtLayer layer;
    private final WindowsBackend backend;
    private Set<Long> before;

    WindowsFilesContract(FakeNtLayer layer) {
        this.layer = layer;
        this.backend = new WindowsBackend(layer, PortableHostMemory.PAGES);
    }

    @Override
    protected HostBackend backend() {
        return backend;
    }

    /** NTFS keeps times in units of 100 ns. */
    @Override
    protected long timeGranularityNanos() {
        return 100;
    }

    @BeforeEach
    void handlesBefore() {
        before = layer.openHandles();
    }

    @AfterEach
    void noHandleLeftOpen() {
        assertEquals(before, layer.openHandles());
    }
}
