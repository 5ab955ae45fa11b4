package io.simanchor.mud.domain;

/** The current MUD file of a model, as the MUD manager applies it. */
public record ModelPolicy(int version, String mudUrl, MudFile file) {
}
