package dev.jlx.core.cpu;

/** The CPU engine is missing, too old, or refused an operation jlx relies on. */
public final class EngineException extends RuntimeException {
    public EngineException(String message) {
        super(message);
    }
}
