package dev.jlx.host.windows;

import dev.jlx.core.host.PortableHostMemory;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jlx.core.host.HostBackend;
import dev.jlx.core.host.HostFilesContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The file contract on the Windows backend over the NT layer faked on jimfs (volume C:). */
class WindowsJimfsFilesTest extends HostFilesContract {
    static final JimfsNtLayer LAYER = new JimfsNtLayer();
    static final WindowsBackend BACKEND = new WindowsBackend(LAYER, PortableHostMemory.PAGES);
    private static final AtomicInteger COUNT = new AtomicInteger();

    @Override
    protected HostBackend backend() {
        return BACKEND;
    }

    /** {@code C:\work\tN}, made through the backend (so case-sensitive) under a directory made by java.nio. */
    @Override
    protected Path directory(Path tempDir) throws Exception {
        Path work = Files.createDirectories(LAYER.fileSystem().getPath("C:\\work"));
        Path d = work.resolve("t" + COUNT.incrementAndGet());
        BACKEND.files().mkdir(BACKEND.files().hostPath(d), 0755);
        return d;
    }

    /** jimfs keeps every byte of a file in heap blocks, on a disk of 4 GiB. */
    @Override
    protected boolean sparseFiles() {
        return false;
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
