-- Endorsed enrollment by default (issue 28, point 6): a registration enrolls only with the SIM key its
-- vendor endorsed, unless its tenant explicitly allows unendorsed enrollment; such devices are flagged.
alter table tenant add column unendorsed_enrollment boolean not null default false;

alter table device add column endorsed boolean;
update device d set endorsed = (r.sim_spki is not null) from registration r where r.id = d.registration_id;
alter table device alter column endorsed set not null;
