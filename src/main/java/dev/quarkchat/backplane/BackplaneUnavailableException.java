package dev.quarkchat.backplane;

/** Redis cannot be reached, or did not answer in time: the operation was not carried out. */
public final class BackplaneUnavailableException extends RuntimeException {

    public BackplaneUnavailableException(String message) {
        super(message, null, false, false);
    }
}
