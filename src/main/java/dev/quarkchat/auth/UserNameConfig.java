package dev.quarkchat.auth;

import dev.quarkchat.protocol.UserName;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import java.util.List;

/**
 * Where a user's name comes from in the token, and how long it may be ({@code chat.user-name.*}).
 */
@ConfigMapping(prefix = "chat.user-name")
public interface UserNameConfig {

    /**
     * The token claims that may hold the user's name, in order: the first one the token carries is
     * the name. The default is SmallRye JWT's own choice. Where users can edit {@code
     * preferred_username} at the identity provider, leave it out ({@code upn,sub}): the name is
     * then one the provider controls.
     */
    @WithDefault("upn,preferred_username,sub")
    List<@NotBlank String> claims();

    /**
     * The longest name, in Unicode code points (of its NFC form); longer is refused at the
     * handshake.
     */
    @WithDefault("" + UserName.DEFAULT_MAX_LENGTH)
    @Min(1)
    @Max(UserName.MAX_LENGTH_CEILING)
    int maxLength();
}
