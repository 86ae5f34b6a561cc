package domain

import (
	"time"

	"github.com/google/uuid"
)

// Block is embedded in every product block struct. Its struct tag names the block, i.e. product_blocks.name:
//
//	type NodeBlock struct {
//		domain.Block `wfo:"Node"`
//		NodeName *string `wfo:"node_name,required=provisioning"`
//	}
type Block struct {
	// SubscriptionInstanceID identifies the instance (subscription_instances.subscription_instance_id). The zero
	// UUID marks an instance not stored yet; saving gives it an id.
	SubscriptionInstanceID uuid.UUID
	// OwnerSubscriptionID is the subscription that owns the instance. An instance owned by another subscription
	// is linked into the tree but never modified by saving this one. Zero means the subscription being saved.
	OwnerSubscriptionID uuid.UUID
	// Label is the instance's label ("" is stored as NULL).
	Label string
}

// BlockBase returns the block's implicit fields.
func (b *Block) BlockBase() *Block { return b }

// ProductInfo is the catalogue row of a subscription's product, filled when a subscription is created or loaded.
type ProductInfo struct {
	ProductID   uuid.UUID
	Name        string
	Description string
	// ProductType is products.product_type: the registered product type's name.
	ProductType string
	Tag         string
	// Status is the product's lifecycle (active, pre production, phase out, end of life).
	Status string
	// CreatedAt and EndDate are products.created_at and products.end_date.
	CreatedAt *time.Time
	EndDate   *time.Time
}

// Subscription is embedded in every product type struct: the subscriptions row. Its struct tag may name the
// product type (products.product_type) when that differs from the Go type's name:
//
//	type Node struct {
//		domain.Subscription `wfo:"node"`
//		Vendor Vendor    `wfo:"vendor"`
//		Node   NodeBlock `wfo:"node"`
//	}
type Subscription struct {
	SubscriptionID uuid.UUID
	CustomerID     string
	Description    string
	Status         Lifecycle
	// Insync is the lock flag: false while a workflow changes the subscription.
	Insync bool
	// StartDate is set when the subscription first becomes active, EndDate when it is terminated.
	StartDate *time.Time
	EndDate   *time.Time
	// Note is the free-text note ("" is stored as NULL).
	Note string
	// Version is the optimistic-concurrency counter the database bumps on every update.
	Version int
	// Product is the subscription's product; its fixed inputs are the product type's non-block fields.
	Product ProductInfo
}

// SubscriptionBase returns the subscription's own fields.
func (s *Subscription) SubscriptionBase() *Subscription { return s }

// Model is a pointer to a registered product type struct, which embeds Subscription.
type Model interface {
	SubscriptionBase() *Subscription
}
