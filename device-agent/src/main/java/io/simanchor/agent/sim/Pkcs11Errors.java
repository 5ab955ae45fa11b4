package io.simanchor.agent.sim;

/**
 * Maps what SunPKCS11 throws to a {@link SecureElementException.Reason}. The provider wraps the module's
 * return value in a {@code PKCS11Exception} (in a package the JDK does not export) whose message is the
 * CKR_ name, somewhere down the cause chain.
 */
final class Pkcs11Errors {

    private Pkcs11Errors() {
    }

    static SecureElementException.Reason reasonOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("CKR_PIN_INCORRECT") || message.contains("CKR_PIN_INVALID")
                    || message.contains("CKR_PIN_LEN_RANGE")) {
                return SecureElementException.Reason.PIN_INCORRECT;
            }
            if (message.contains("CKR_PIN_LOCKED")) {
                return SecureElementException.Reason.PIN_LOCKED;
            }
            if (message.contains("CKR_DEVICE_REMOVED") || message.contains("CKR_TOKEN_NOT_PRESENT")
                    || message.contains("CKR_TOKEN_NOT_RECOGNIZED") || message.contains("Token has been removed")
                    || message.contains("CKR_SLOT_ID_INVALID")) {
                return SecureElementException.Reason.DEVICE_REMOVED;
            }
            if (message.contains("CKR_SESSION_HANDLE_INVALID") || message.contains("CKR_SESSION_CLOSED")
                    || message.contains("CKR_USER_NOT_LOGGED_IN") || message.contains("CKR_KEY_HANDLE_INVALID")
                    || message.contains("CKR_OBJECT_HANDLE_INVALID")) {
                return SecureElementException.Reason.SESSION_HANDLE_INVALID;
            }
            if (message.contains("CKR_DEVICE_ERROR") || message.contains("CKR_DEVICE_MEMORY")
                    || message.contains("CKR_GENERAL_ERROR")) {
                return SecureElementException.Reason.DEVICE_ERROR;
            }
            if (t instanceof UnsatisfiedLinkError || message.contains("Error loading")
                    || message.contains("cannot open shared object")) {
                return SecureElementException.Reason.LIBRARY_UNAVAILABLE;
            }
        }
        return SecureElementException.Reason.FAILED;
    }
}
