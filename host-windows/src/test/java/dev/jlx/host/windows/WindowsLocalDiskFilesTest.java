package dev.jlx.host.windows;

import dev.jlx.core.ByteString;
import java.nio.file.Path;

/** The file contract on the Windows backend over the NTFS-like fake on the local disk. */
class WindowsLocalDiskFilesTest extends WindowsFilesContract {
    WindowsLocalDiskFilesTest() {
        super(new LocalDiskNtLayer(Path.of("/")));
    }

    /** A directory made through the backend, so case-sensitive, as every directory jlx makes. */
    @Override
    protected Path directory(Path tempDir) throws Exception {
        Path d = tempDir.resolve("w");
        backend().files().mkdir(ByteString.of(d.toString()), 0755);
        return d;
    }
}
