-- Offer at click time (docs/reports.md#offer-at-click-time): the offer the campaign sent the click to,
-- read from the campaign's route when the click was made, so a later change of the campaign's offer
-- (a rotation, an edit) does not move the click to the new offer. NULL for clicks stored before this
-- migration (their offer is the campaign's, as before). No foreign key: the click path must not pay a
-- lookup per row, and a click keeps the offer it was sent to even after that offer is deleted.
ALTER TABLE clicks ADD COLUMN offer_id uuid;
