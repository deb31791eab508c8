// Package admin is the neutral view of the account: accounts, users, jobs
// (asynchronous work: DigitalOcean actions, enStratus jobs) and bills. A
// provider without a kind answers stratus.ErrUnsupported.
package admin

import (
	"context"
	"iter"
	"time"

	"github.com/stratus-cloud/stratus"
	"github.com/stratus-cloud/stratus/scope"
)

// AccountHandle is an account.
type AccountHandle struct{ scope.Item }

// Account returns the account the credentials belong to (DigitalOcean,
// OVH) without any request. enStratus manages several: use AccountByID.
func Account(c *stratus.Client) AccountHandle {
	return AccountHandle{scope.One(c, scope.KindAccount, "")}
}

// AccountByID returns an account handle by id without any request.
func AccountByID(c *stratus.Client, id any) AccountHandle {
	return AccountHandle{scope.One(c, scope.KindAccount, id)}
}

// Accounts lists the accounts of every client.
func Accounts(ctx context.Context, clients ...*stratus.Client) iter.Seq2[AccountHandle, error] {
	return scope.ListOf(ctx, scope.KindAccount, func(i scope.Item) AccountHandle { return AccountHandle{i} }, clients...)
}

// Name returns the account's name (an email or a handle where the
// provider has no name).
func (a AccountHandle) Name() string { return a.String(scope.FieldName) }

// Email returns the account's email ("" if the provider does not say).
func (a AccountHandle) Email() string { return a.String(scope.FieldEmail) }

// UserHandle is a user of an account.
type UserHandle struct{ scope.Item }

// User returns a user handle without any request.
func User(c *stratus.Client, id any) UserHandle { return UserHandle{scope.One(c, scope.KindUser, id)} }

// Users lists the users of every client.
func Users(ctx context.Context, clients ...*stratus.Client) iter.Seq2[UserHandle, error] {
	return scope.ListOf(ctx, scope.KindUser, func(i scope.Item) UserHandle { return UserHandle{i} }, clients...)
}

// Name returns the user's name.
func (u UserHandle) Name() string { return u.String(scope.FieldName) }

// Email returns the user's email.
func (u UserHandle) Email() string { return u.String(scope.FieldEmail) }

// JobHandle is asynchronous work. State is pending, complete or error.
type JobHandle struct{ scope.Item }

// Job returns a job handle without any request.
func Job(c *stratus.Client, id any) JobHandle { return JobHandle{scope.One(c, scope.KindJob, id)} }

// Jobs lists the jobs of every client.
func Jobs(ctx context.Context, clients ...*stratus.Client) iter.Seq2[JobHandle, error] {
	return scope.ListOf(ctx, scope.KindJob, func(i scope.Item) JobHandle { return JobHandle{i} }, clients...)
}

// Name returns what the job does ("power_off", "Launch Server ...").
func (j JobHandle) Name() string { return j.String(scope.FieldName) }

// Started returns when it started.
func (j JobHandle) Started() time.Time { return stratus.ParseTime(j.Field(scope.FieldCreated)) }

// BillHandle is a bill.
type BillHandle struct{ scope.Item }

// Bill returns a bill handle without any request.
func Bill(c *stratus.Client, id any) BillHandle { return BillHandle{scope.One(c, scope.KindBill, id)} }

// Bills lists the bills of every client.
func Bills(ctx context.Context, clients ...*stratus.Client) iter.Seq2[BillHandle, error] {
	return scope.ListOf(ctx, scope.KindBill, func(i scope.Item) BillHandle { return BillHandle{i} }, clients...)
}

// Date returns the bill's date.
func (b BillHandle) Date() time.Time { return stratus.ParseTime(b.Field(scope.FieldDate)) }

// Amount returns the amount with tax.
func (b BillHandle) Amount() float64 { return b.Field(scope.FieldAmount).Float() }

// Currency returns the currency code ("EUR").
func (b BillHandle) Currency() string { return b.String(scope.FieldCurrency) }
