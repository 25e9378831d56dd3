# frozen_string_literal: true

RSpec.describe Billing::Subscription, "rules" do
  let(:team) { Billing::Plan.new(code: "team", seat_price_cents: 1_200) }
  let(:business) { Billing::Plan.new(code: "business", seat_price_cents: 2_500) }

  def subscribe(plan: team, seats: 4, on: "2024-03-01")
    described_class.new(plan: plan, seats: seats, starts_on: Date.iso8601(on))
  end

  def dates(invoices)
    invoices.map { |invoice| invoice.issued_on.iso8601 }
  end

  def amounts(invoice)
    invoice.lines.map { |line| [line.kind, line.amount_cents] }
  end

  describe "renewal days" do
    it "come back to the 31st after a shorter month (no drift)" do
      invoices = subscribe(on: "2023-12-31").invoices_through(Date.new(2024, 5, 31))

      expect(dates(invoices)).to eq(%w[2023-12-31 2024-01-31 2024-02-29 2024-03-31 2024-04-30 2024-05-31])
    end

    it "end each renewal line where the next period starts" do
      invoices = subscribe(on: "2024-01-31").invoices_through(Date.new(2024, 3, 31))

      expect(invoices.map { |i| i.lines.first.ends_on }).to eq(invoices.drop(1).map(&:issued_on) + [Date.new(2024, 4, 30)])
    end
  end

  describe "proration" do
    it "uses the days of the period it falls in, not a 30-day month" do
      subscription = subscribe(seats: 1, on: "2023-02-01").change(on: Date.new(2023, 2, 15), plan: business)

      expect(amounts(subscription.invoices_through(Date.new(2023, 2, 15)).last))
        .to eq([[:credit, -600], [:charge, 1_250]])
    end

    it "rounds halves up and negates the rounded credit" do
      basic = Billing::Plan.new(code: "basic", seat_price_cents: 1_001)
      subscription = subscribe(plan: basic, seats: 1, on: "2024-04-01")
      subscription.change(on: Date.new(2024, 4, 16), seats: 2)

      expect(amounts(subscription.invoices_through(Date.new(2024, 4, 16)).last))
        .to eq([[:credit, -501], [:charge, 1_001]])
    end

    it "is not applied on a renewal day" do
      subscription = subscribe.change(on: Date.new(2024, 4, 1), plan: business)

      expect(subscription.invoices_through(Date.new(2024, 4, 1)).map { |i| amounts(i) })
        .to eq([[[:renewal, 4_800]], [[:renewal, 10_000]]])
    end

    it "folds a day's changes into one invoice, and none when the day ends where it began" do
      subscription = subscribe
      subscription.change(on: Date.new(2024, 3, 11), plan: business).change(on: Date.new(2024, 3, 11), seats: 6)
      subscription.change(on: Date.new(2024, 3, 12), seats: 7).change(on: Date.new(2024, 3, 12), seats: 6)

      expect(dates(subscription.invoices_through(Date.new(2024, 3, 31)))).to eq(%w[2024-03-01 2024-03-11])
    end
  end

  describe "account credit" do
    it "carries a downgrade's credit into later invoices until it is used up" do
      subscription = subscribe(plan: business, seats: 10).change(on: Date.new(2024, 3, 2), plan: team, seats: 1)
      invoices = subscription.invoices_through(Date.new(2024, 5, 1))

      expect(invoices.map { |i| [i.total_cents, i.credit_applied_cents, i.amount_due_cents, i.balance_after_cents] })
        .to eq([[25_000, 0, 25_000, 0], [-23_033, 0, 0, 23_033], [1_200, 1_200, 0, 21_833], [1_200, 1_200, 0, 20_633]])
    end
  end

  describe "cancellation" do
    it "credits the rest of the period and stops billing" do
      subscription = subscribe.cancel(on: Date.new(2024, 3, 11))
      invoices = subscription.invoices_through(Date.new(2024, 12, 31))

      expect(dates(invoices)).to eq(%w[2024-03-01 2024-03-11])
      expect(amounts(invoices.last)).to eq([[:credit, -3_252]])
    end

    it "on a renewal day bills nothing more" do
      subscription = subscribe.cancel(on: Date.new(2024, 4, 1))

      expect(dates(subscription.invoices_through(Date.new(2024, 12, 31)))).to eq(%w[2024-03-01])
    end
  end

  describe "recording" do
    it "refuses out-of-order, pre-start and post-cancellation events, keeping the history" do
      subscription = subscribe.change(on: Date.new(2024, 3, 20), seats: 5)

      expect { subscription.change(on: Date.new(2024, 3, 19), seats: 6) }.to raise_error(Billing::InvalidChange)
      expect { subscription.cancel(on: Date.new(2024, 2, 1)) }.to raise_error(Billing::InvalidChange)
      subscription.cancel(on: Date.new(2024, 3, 25))
      expect { subscription.change(on: Date.new(2024, 3, 26), seats: 1) }.to raise_error(Billing::InvalidChange)

      expect(dates(subscription.invoices_through(Date.new(2024, 12, 31)))).to eq(%w[2024-03-01 2024-03-20 2024-03-25])
    end

    it "refuses malformed arguments" do
      expect { subscribe(seats: 0) }.to raise_error(ArgumentError)
      expect { subscribe.change(on: Date.new(2024, 3, 5)) }.to raise_error(ArgumentError)
      expect { subscribe.change(on: "2024-03-05", seats: 2) }.to raise_error(ArgumentError)
    end
  end
end
