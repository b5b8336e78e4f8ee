package dev.jlx.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ErrnoTest {

    @Test
    void numbers() {
        assertEquals(1, Errno.EPERM.number());
        assertEquals(2, Errno.ENOENT.number());
        assertEquals(11, Errno.EAGAIN.number());
        assertEquals(14, Errno.EFAULT.number());
        assertEquals(22, Errno.EINVAL.number());
        assertEquals(38, Errno.ENOSYS.number());
        assertEquals(40, Errno.ELOOP.number());
        assertEquals(95, Errno.EOPNOTSUPP.number());
        assertEquals(110, Errno.ETIMEDOUT.number());
    }

    @Test
    void ofFindsEveryConstantByItsNumber() {
        for (Errno e : Errno.values()) {
            assertSame(e, Errno.of(e.number()));
        }
        assertSame(Errno.ENOENT, Errno.of(2));
        assertNull(Errno.of(0));
        assertNull(Errno.of(-1));
        assertNull(Errno.of(41)); // unused in Linux: EWOULDBLOCK is 11
        assertNull(Errno.of(100_000));
    }

    @Test
    void messages() {
        assertEquals("No such file or directory", Errno.ENOENT.message());
        assertEquals("Function not implemented", Errno.ENOSYS.message());
    }
}
