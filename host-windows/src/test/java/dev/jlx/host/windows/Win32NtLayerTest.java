package dev.jlx.host.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What of the ntdll layer runs without Windows: the FILE_FULL_EA_INFORMATION list it hands NtCreateFile
 * and NtSetEaFile, byte for byte as MS-FSCC 2.4.15 lays it out (entries 4-byte aligned).
 */
class Win32NtLayerTest {
    @Test
    void eaListsAreFileFullEaInformation() {
        List<NtLayer.Ea> eas = List.of(new NtLayer.Ea("$LXUID", LxMetadata.u32(1000)),
                new NtLayer.Ea("$LXMOD", LxMetadata.u32(0100644)));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment b = Win32NtLayer.eaBuffer(arena, eas);
            byte[] expected = {
                20, 0, 0, 0, 0, 6, 4, 0, '$', 'L', 'X', 'U', 'I', 'D', 0, (byte) 0xe8, 3, 0, 0, 0,
                0, 0, 0, 0, 0, 6, 4, 0, '$', 'L', 'X', 'M', 'O', 'D', 0, (byte) 0xa4, (byte) 0x81, 0, 0, 0};
            assertArrayEquals(expected, b.toArray(ValueLayout.JAVA_BYTE));
            List<NtLayer.Ea> back = Win32NtLayer.parseEas(b);
            assertEquals(2, back.size());
            assertEquals("$LXMOD", back.get(1).name());
            assertArrayEquals(LxMetadata.u32(0100644), back.get(1).value());
        }
    }
}
