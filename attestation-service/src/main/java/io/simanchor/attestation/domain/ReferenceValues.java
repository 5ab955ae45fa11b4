package io.simanchor.attestation.domain;

import java.util.List;

import io.simanchor.api.attestation.MeasurementV1;

/**
 * The measurements a genuine device of one hardware model must report when it runs one software version,
 * as provisioned by a policy administrator.
 *
 * @param hwModel hardware model
 * @param swVersion software version
 * @param measurements expected component digests, one per component
 */
public record ReferenceValues(String hwModel, String swVersion, List<MeasurementV1> measurements) {

    public ReferenceValues {
        measurements = List.copyOf(measurements);
    }
}
