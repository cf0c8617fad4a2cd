-- Image ids are SHA1s in lower-case hex at every boundary now; earlier versions kept the
-- portal's answer as it came, so history compared unequal to the same file after a prune.
UPDATE images SET image_id = lower(image_id) WHERE image_id <> lower(image_id);
UPDATE jobs SET result_image_id = lower(result_image_id)
  WHERE result_image_id IS NOT NULL AND result_image_id <> lower(result_image_id);
