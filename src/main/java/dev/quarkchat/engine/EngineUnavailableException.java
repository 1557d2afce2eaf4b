package dev.quarkchat.engine;

/**
 * The engine's store cannot be reached, or did not answer in time: the operation was not carried
 * out.
 */
public final class EngineUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EngineUnavailableException(String message) {
        super(message, null, false, false);
    }
}
