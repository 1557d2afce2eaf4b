package dev.quarkchat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Words that start with {@code @} name users, without the punctuation that follows them. */
class MentionsTest {

    @Test
    void eachWordStartingWithAnAtNamesAUserOnce() {
        assertThat(Mentions.in("@ann, can you and @bob: look? thanks @ann!"))
                .containsExactly("ann", "bob");
        assertThat(Mentions.in("(@cat) and @dan.\n@eve;\t@fay)"))
                .containsExactly("dan", "eve", "fay");
        assertThat(Mentions.in("@Zoë and @李雷")).containsExactly("Zoë", "李雷");
    }

    @Test
    void anAtInsideAWordOrAloneNamesNobody() {
        assertThat(Mentions.in("mail ann@example.org")).isEmpty();
        assertThat(Mentions.in("@ alone, @. and @!?")).isEmpty();
        assertThat(Mentions.in("")).isEmpty();
        assertThat(Mentions.mentions("hi @annie", "ann")).isFalse();
        assertThat(Mentions.mentions("hi @ann", "ann")).isTrue();
    }
}
