package dev.quarkchat.metrics;

/**
 * What became of a {@code refresh} whose token was verified: the {@code outcome} label of {@code
 * chat_token_refreshes_total}.
 */
public enum TokenRefreshOutcome {

    /** The connection now lives by the new token. */
    ACCEPTED("accepted"),
    /**
     * The token was not genuine, named no acceptable user, or another user: answered {@code
     * invalid_token}.
     */
    REFUSED("refused");

    private final String label;

    TokenRefreshOutcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
