package io.simanchor.mud.domain;

import io.simanchor.support.problem.ProblemType;

/** The failures of mud-service's API (docs/problems.md). */
public final class MudProblems {

    public static final ProblemType MUD_FILE_INVALID = new ProblemType("MUD_FILE_INVALID", 400,
            "The MUD file is not valid");
    public static final ProblemType MUD_FILE_STALE = new ProblemType("MUD_FILE_STALE", 409,
            "The MUD file is not newer than the stored one");
    public static final ProblemType MUD_FILE_NOT_FOUND = new ProblemType("MUD_FILE_NOT_FOUND", 404,
            "No MUD file for this model");
    public static final ProblemType MODEL_NAME_INVALID = new ProblemType("MODEL_NAME_INVALID", 400,
            "The manufacturer or model name is not valid");
    public static final ProblemType DEVICE_POLICY_NOT_FOUND = new ProblemType("DEVICE_POLICY_NOT_FOUND", 404,
            "No effective policy for this device");
    public static final ProblemType DEVICE_ADDRESS_INVALID = new ProblemType("DEVICE_ADDRESS_INVALID", 400,
            "The device address is not an IP address");

    private MudProblems() {
    }
}
