-- A device's revision (issue 28, point 3: replayed lifecycle records): 1 at enrollment, one more with every
-- change, carried in every lifecycle record (DeviceSnapshotV1.revision) so that a consumer can drop a
-- genuine but older record written to the topic again. Updates change it only from the revision they read.
alter table device add column revision bigint not null default 1;
