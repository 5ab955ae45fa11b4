package io.simanchor.token.infra.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.simanchor.api.events.SecurityEventV1;
import io.simanchor.api.events.TokenDecisionV1;
import io.simanchor.api.events.Topics;
import io.simanchor.support.outbox.OutboxEvent;
import io.simanchor.support.outbox.SecurityEventOutbox;
import io.simanchor.token.domain.DenialReason;
import io.simanchor.token.domain.TokenDecision;

/** The Kafka records of a token decision (docs/events.md): a token event, plus a security event for an attack. */
final class TokenEventRecords {

    static final String SERVICE = "token-service";

    private TokenEventRecords() {
    }

    static List<OutboxEvent> of(TokenDecision decision, String detail) {
        TokenDecisionV1 event = new TokenDecisionV1(decision.issued() ? TokenDecisionV1.ISSUED : TokenDecisionV1.DENIED,
                decision.deviceId().orElse(null), decision.reason().map(DenialReason::name).orElse(null),
                decision.reason().map(reason -> reason.error().code()).orElse(null), decision.scope().orElse(null),
                decision.tokenId().orElse(null), decision.earStatus().orElse(null), decision.decidedAt(),
                decision.expiresAt().orElse(null));
        String key = decision.deviceId().orElse("unidentified");
        List<OutboxEvent> events = new ArrayList<>(2);
        events.add(new OutboxEvent(Topics.TOKEN_EVENTS, key, TokenDecisionV1.TYPE, event, decision.decidedAt()));
        decision.reason()
                .filter(DenialReason::attack)
                .ifPresent(reason -> events.add(SecurityEventOutbox.entry(
                        new SecurityEventV1(reason.name(), SERVICE, null, decision.deviceId().orElse(null), key,
                                Map.of("detail", detail), decision.decidedAt()))));
        return events;
    }
}
