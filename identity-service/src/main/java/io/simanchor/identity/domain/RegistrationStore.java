package io.simanchor.identity.domain;

import java.util.List;
import java.util.Optional;

/** Registrations of expected devices. */
public interface RegistrationStore {

    /** The registration of this ICCID, in any tenant (ICCIDs are globally unique). */
    Optional<Registration> findByIccid(Iccid iccid);

    /** The registration with this id. */
    Optional<Registration> findById(long id);

    /**
     * Inserts, in one transaction, the registrations whose ICCID is not registered yet. Returns, in input
     * order, whether each one was inserted ({@code false}: the ICCID existed).
     */
    List<Boolean> insertNew(List<NewRegistration> registrations);

    /** The registrations of these ICCIDs, for comparing a re-upload with what is stored. */
    List<Registration> findByIccids(List<Iccid> iccids);
}
