package dev.jlx.abi;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/** Looks up a constant's name by value in one of the ABI classes (for traces and messages). */
final class AbiNames {
    private AbiNames() {}

    static String nameOf(Class<?> constants, String prefix, int value, String... excludedPrefixes) {
        for (Field f : constants.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class || !f.getName().startsWith(prefix)) {
                continue;
            }
            boolean excluded = false;
            for (String x : excludedPrefixes) {
                excluded |= f.getName().startsWith(x);
            }
            try {
                if (!excluded && f.getInt(null) == value) {
                    return f.getName();
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }
}
