package dev.jlx.host.windows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** The file contract on the Windows backend over the NT layer faked on jimfs (volume C:). */
class WindowsJimfsFilesTest extends WindowsFilesContract {
    static final JimfsNtLayer LAYER = new JimfsNtLayer();
    private static final AtomicInteger COUNT = new AtomicInteger();

    WindowsJimfsFilesTest() {
        super(LAYER);
    }

    /** {@code C:\work\tN}, made through the backend (so case-sensitive) under a directory made by java.nio. */
    @Override
    protected Path directory(Path tempDir) throws Exception {
        Path work = Files.createDirectories(LAYER.fileSystem().getPath("C:\\work"));
        Path d = work.resolve("t" + COUNT.incrementAndGet());
        backend().files().mkdir(backend().files().hostPath(d), 0755);
        return d;
    }

    /** jimfs keeps every byte of a file in heap blocks, on a disk of 4 GiB. */
    @Override
    protected boolean sparseFiles() {
        return false;
    }
}
