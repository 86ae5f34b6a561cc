-- Revision: keep a product count per type (SQLite).
CREATE TABLE product_type_counts (
    product_type TEXT PRIMARY KEY,
    n            INTEGER NOT NULL DEFAULT 0
);

CREATE TRIGGER IF NOT EXISTS products_count_insert
AFTER INSERT ON products
FOR EACH ROW
WHEN NEW.product_type IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO product_type_counts (product_type, n) VALUES (NEW.product_type, 0);
    UPDATE product_type_counts
       SET n = CASE
                   WHEN n IS NULL THEN 1
                   ELSE n + 1
               END  -- CASE ... END must not close the body
     WHERE product_type = NEW.product_type;
    SELECT CASE WHEN NEW.name = '' THEN RAISE(ABORT, 'empty name; rejected') END;
END;

create temp trigger products_touch after update on products begin
    update products set updated_at = datetime('now') where rowid = new.rowid;
end;

INSERT INTO product_type_counts (product_type) VALUES ('Node'), ('Port;1');
