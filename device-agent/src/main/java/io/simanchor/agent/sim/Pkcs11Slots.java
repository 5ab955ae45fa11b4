package io.simanchor.agent.sim;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;

/**
 * Finds a token's slot by its label. SunPKCS11's configuration takes a slot id or index only, so this asks
 * the PKCS#11 module itself (C_GetSlotList, C_GetTokenInfo) through the JDK's PKCS#11 wrapper, which the
 * module {@code jdk.crypto.cryptoki} does not export: the agent's jar manifest and the test JVM add
 * {@code --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED}.
 */
final class Pkcs11Slots {

    private static final String WRAPPER = "sun.security.pkcs11.wrapper.";

    private Pkcs11Slots() {
    }

    /** The label of the token in {@code slot}; null when the slot cannot say (a token going away). */
    private static String labelOf(Object module, Method tokenInfo, long slot) throws ReflectiveOperationException {
        Object info;
        try {
            info = tokenInfo.invoke(module, slot);
        } catch (InvocationTargetException e) {
            return null;
        }
        // CK_TOKEN_INFO.label is 32 characters padded with blanks (PKCS#11 v2.40 §3.2).
        return new String((char[]) info.getClass().getField("label").get(info)).strip();
    }

    /** The id of the slot holding the token labelled {@code label}. */
    static long byLabel(Path library, String label) {
        try {
            Class<?> pkcs11 = Class.forName(WRAPPER + "PKCS11");
            Class<?> initArgs = Class.forName(WRAPPER + "CK_C_INITIALIZE_ARGS");
            Object module = pkcs11.getMethod("getInstance", String.class, String.class, initArgs, boolean.class)
                    .invoke(null, library.toString(), "C_GetFunctionList", null, false);
            Method tokenInfo = pkcs11.getMethod("C_GetTokenInfo", long.class);
            for (long slot : (long[]) pkcs11.getMethod("C_GetSlotList", boolean.class).invoke(module, true)) {
                if (label.equals(labelOf(module, tokenInfo, slot))) {
                    return slot;
                }
            }
            throw new SecureElementException(SecureElementException.Reason.TOKEN_NOT_FOUND,
                    "no token labelled '" + label + "' in " + library);
        } catch (InvocationTargetException e) {
            throw new SecureElementException(Pkcs11Errors.reasonOf(e.getCause()),
                    "cannot list the tokens of " + library + ": " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException | IllegalAccessError | ClassCastException e) {
            throw new SecureElementException(SecureElementException.Reason.LIBRARY_UNAVAILABLE,
                    "choosing a token by label needs --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper"
                            + "=ALL-UNNAMED (set in the agent's jar); choose it by slot instead",
                    e);
        }
    }
}
