package dev.quarkchat.chat;

/**
 * A frame encoded once and sent to any number of connections, with its UTF-8 size counted once, so that
 * a broadcast to a thousand members measures its payload one time, not a thousand.
 */
record OutboundFrame(String text, int bytes) {

    static OutboundFrame of(String text) {
        return new OutboundFrame(text, utf8Length(text));
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
